package io.seqserve.registry;

import static io.seqserve.registry.ModelState.AVAILABLE;
import static io.seqserve.registry.ModelState.FAILED;
import static io.seqserve.registry.ModelState.LOADING;
import static io.seqserve.registry.ModelState.UNLOADED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The version policy as the pure function it is, plus a small simulation of the registry driving it. */
class VersionPolicyTest {

    private static VersionPolicy.Snapshot v(long version, ModelState state) {
        return new VersionPolicy.Snapshot(version, state, false);
    }

    private static VersionPolicy.Snapshot labelled(long version, ModelState state) {
        return new VersionPolicy.Snapshot(version, state, true);
    }

    private static VersionPolicy.Decision decide(int latest, VersionPolicy.Snapshot... versions) {
        return VersionPolicy.decide(List.of(versions), latest);
    }

    @Test
    void loadsOnlyTheNewestVersion() {
        VersionPolicy.Decision d = decide(1, v(1, UNLOADED), v(3, UNLOADED), v(2, UNLOADED));
        assertThat(d.load()).containsExactly(3L);
        assertThat(d.unload()).isEmpty();
    }

    @Test
    void nothingToDoWhenTheNewestIsTheOnlyOneLoaded() {
        VersionPolicy.Decision d = decide(1, v(1, UNLOADED), v(2, AVAILABLE));
        assertThat(d.load()).isEmpty();
        assertThat(d.unload()).isEmpty();
    }

    @Test
    void theOldVersionServesWhileTheNewOneLoadsAndLeavesOnceItIsAvailable() {
        VersionPolicy.Decision discovered = decide(1, v(1, AVAILABLE), v(2, UNLOADED));
        assertThat(discovered.load()).containsExactly(2L);
        assertThat(discovered.unload())
                .as("nothing leaves in the same step that starts a load")
                .isEmpty();

        VersionPolicy.Decision loading = decide(1, v(1, AVAILABLE), v(2, LOADING));
        assertThat(loading.load()).isEmpty();
        assertThat(loading.unload()).as("v1 serves until v2 is ready").isEmpty();

        VersionPolicy.Decision ready = decide(1, v(1, AVAILABLE), v(2, AVAILABLE));
        assertThat(ready.load()).isEmpty();
        assertThat(ready.unload()).containsExactly(1L);
    }

    @Test
    void aFailedNewestVersionLeavesThePreviousOneServing() {
        VersionPolicy.Decision d = decide(1, v(1, AVAILABLE), v(2, FAILED));
        assertThat(d.load()).isEmpty();
        assertThat(d.unload()).isEmpty();
    }

    @Test
    void aFailedNewestVersionFallsBackToLoadingThePreviousOne() {
        VersionPolicy.Decision d = decide(1, v(1, UNLOADED), v(2, FAILED), v(3, FAILED));
        assertThat(d.load()).containsExactly(1L);
        assertThat(d.unload()).isEmpty();
    }

    @Test
    void failedVersionsAreNeverRetriedByThePolicy() {
        VersionPolicy.Decision d = decide(1, labelled(1, FAILED), v(2, FAILED));
        assertThat(d.load()).isEmpty();
        assertThat(d.unload()).isEmpty();
    }

    @Test
    void labelledVersionsStayLoaded() {
        VersionPolicy.Decision d = decide(1, labelled(1, AVAILABLE), v(2, AVAILABLE), v(3, AVAILABLE));
        assertThat(d.unload()).containsExactly(2L);
        assertThat(d.load()).isEmpty();
    }

    @Test
    void aLabelledVersionThatIsNotLoadedIsLoaded() {
        VersionPolicy.Decision d = decide(1, labelled(1, UNLOADED), v(2, AVAILABLE));
        assertThat(d.load()).containsExactly(1L);
        assertThat(d.unload()).isEmpty();
    }

    @Test
    void aLabelledNewestVersionTakesOneOfTheLatestSlots() {
        // The newest 'latest' versions plus the labelled ones: a union, so labelling the newest keeps no extra version.
        VersionPolicy.Decision d = decide(1, v(1, AVAILABLE), labelled(2, AVAILABLE));
        assertThat(d.unload()).containsExactly(1L);
        assertThat(decide(2, v(1, AVAILABLE), labelled(2, AVAILABLE), v(3, AVAILABLE))
                        .unload())
                .containsExactly(1L);
    }

    @Test
    void keepsTheTwoNewestWhenLatestIsTwo() {
        assertThat(decide(2, v(1, UNLOADED), v(2, UNLOADED), v(3, UNLOADED)).load())
                .containsExactly(2L, 3L);
        VersionPolicy.Decision d = decide(2, v(1, AVAILABLE), v(2, AVAILABLE), v(3, AVAILABLE));
        assertThat(d.unload()).containsExactly(1L);
        VersionPolicy.Decision skipFailed = decide(2, v(1, UNLOADED), v(2, AVAILABLE), v(3, FAILED));
        assertThat(skipFailed.load()).containsExactly(1L);
    }

    @Test
    void withLatestTwoNothingLeavesWhileAWantedVersionIsStillLoading() {
        VersionPolicy.Decision d = decide(2, v(1, AVAILABLE), v(2, AVAILABLE), v(3, LOADING));
        assertThat(d.unload()).isEmpty();
        assertThat(decide(2, v(1, AVAILABLE), v(2, AVAILABLE), v(3, AVAILABLE)).unload())
                .containsExactly(1L);
    }

    // ---- the registry's loop, simulated: availability is preserved through every step -------------

    /** Drives the policy as the registry does: apply a decision, finish loads (some fail), repeat until stable. */
    private static final class Simulation {
        final Map<Long, ModelState> states = new TreeMap<>();
        final Set<Long> labels = new TreeSet<>();
        final Set<Long> broken = new TreeSet<>();
        final List<String> trace = new ArrayList<>();
        final int latest;

        Simulation(int latest) {
            this.latest = latest;
        }

        void settle() {
            for (int step = 0; step < 50; step++) {
                List<VersionPolicy.Snapshot> snapshots = states.entrySet().stream()
                        .map(e -> new VersionPolicy.Snapshot(e.getKey(), e.getValue(), labels.contains(e.getKey())))
                        .toList();
                VersionPolicy.Decision d = VersionPolicy.decide(snapshots, latest);
                boolean loading = states.containsValue(LOADING);
                if (d.load().isEmpty() && d.unload().isEmpty() && !loading) {
                    return;
                }
                d.load().forEach(n -> states.put(n, LOADING));
                d.unload().forEach(n -> states.put(n, UNLOADED));
                trace.add(states.toString());
                assertAvailabilityKept();
                if (d.load().isEmpty() && d.unload().isEmpty()) {
                    // Loads finish one at a time, in version order, like a single load thread.
                    long next = states.entrySet().stream()
                            .filter(e -> e.getValue() == LOADING)
                            .findFirst()
                            .orElseThrow()
                            .getKey();
                    states.put(next, broken.contains(next) ? FAILED : AVAILABLE);
                    trace.add(states.toString());
                    assertAvailabilityKept();
                }
            }
            throw new AssertionError("the policy did not settle: " + trace);
        }

        private boolean everAvailable;

        private void assertAvailabilityKept() {
            boolean available = states.containsValue(AVAILABLE);
            if (everAvailable) {
                assertThat(available)
                        .as("some version serves at every step: %s", trace)
                        .isTrue();
            }
            everAvailable |= available;
        }

        Set<Long> in(ModelState state) {
            Set<Long> result = new TreeSet<>();
            states.forEach((n, s) -> {
                if (s == state) {
                    result.add(n);
                }
            });
            return result;
        }
    }

    @Test
    void simulatedRolloutSwapsWithoutAGapAndFallsBackWhenTheNewestIsBroken() {
        Simulation sim = new Simulation(1);
        sim.states.put(1L, UNLOADED);
        sim.settle();
        assertThat(sim.in(AVAILABLE)).containsExactly(1L);

        sim.states.put(2L, UNLOADED);
        sim.settle();
        assertThat(sim.in(AVAILABLE)).containsExactly(2L);
        assertThat(sim.in(UNLOADED)).containsExactly(1L);

        sim.broken.add(3L);
        sim.states.put(3L, UNLOADED);
        sim.settle();
        assertThat(sim.in(AVAILABLE)).as("v2 keeps serving").containsExactly(2L);
        assertThat(sim.in(FAILED)).containsExactly(3L);
    }

    @Test
    void simulatedStartWithABrokenNewestLoadsThePreviousVersion() {
        Simulation sim = new Simulation(1);
        sim.broken.add(2L);
        sim.states.put(1L, UNLOADED);
        sim.states.put(2L, UNLOADED);
        sim.settle();
        assertThat(sim.in(AVAILABLE)).containsExactly(1L);
        assertThat(sim.in(FAILED)).containsExactly(2L);
    }

    @Test
    void simulatedLabelsAndLatestTwo() {
        Simulation sim = new Simulation(2);
        for (long n = 1; n <= 3; n++) {
            sim.states.put(n, UNLOADED);
        }
        sim.settle();
        assertThat(sim.in(AVAILABLE)).containsExactly(2L, 3L);

        sim.labels.add(1L);
        sim.settle();
        assertThat(sim.in(AVAILABLE)).containsExactly(1L, 2L, 3L);

        sim.states.put(4L, UNLOADED);
        sim.settle();
        assertThat(sim.in(AVAILABLE)).as("labelled v1 plus the two newest").containsExactly(1L, 3L, 4L);

        sim.labels.clear();
        sim.settle();
        assertThat(sim.in(AVAILABLE)).containsExactly(3L, 4L);
    }
}
