package io.seqserve.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.seqserve.Failure;
import io.seqserve.inference.Inference;
import io.seqserve.registry.ModelRef;
import io.seqserve.registry.ModelRegistry;
import io.seqserve.testing.StatefulModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The production rules: a session stays on its version when a label moves and ends with a clear 410 when that
 * version goes; memory is bounded (count, bytes, idle TTL) by evicting the least recently used session, which then
 * hears why; all of it in metrics. The bounds are checked on a second session store built like the application's
 * but with small limits, over the same models.
 */
class SessionRulesTest extends LiveTest {

    private static boolean published;

    @Autowired
    List<LiveTask> tasks;

    @Autowired
    Inference inference;

    @Autowired
    ModelRegistry registry;

    @Autowired
    StepBatchers batchers;

    @TempDir
    Path temp;

    @BeforeEach
    void models() throws Exception {
        synchronized (SessionRulesTest.class) {
            if (!published) {
                published = true;
                String manifest =
                        StatefulModels.GRU_SIGNATURE + StatefulModels.GRU_STATE + StatefulModels.GRU_FORECASTING;
                StatefulModels.gruTorchScript("lv-rules", 1, manifest);
                StatefulModels.gruTorchScript("lv-moving", 1, manifest);
            }
        }
        awaitState("lv-rules", 1, "available");
    }

    @Test
    void aLabelMoveLeavesARunningSessionOnItsVersionUntilThatVersionGoes() throws Exception {
        awaitState("lv-moving", 1, "available");
        assertThat(send("PUT", "/v1/models/lv-moving/labels/production", "application/json", "{\"version\": 1}")
                        .statusCode())
                .isEqualTo(200);
        double[] series = sunspots();
        String id = open("lv-moving", body("history", Arrays.copyOf(series, 40)))
                .get("id")
                .asString();
        String manifest = StatefulModels.GRU_SIGNATURE + StatefulModels.GRU_STATE + StatefulModels.GRU_FORECASTING;
        StatefulModels.gruTorchScript("lv-moving", 2, manifest);
        awaitState("lv-moving", 2, "available");
        assertThat(send("PUT", "/v1/models/lv-moving/labels/production", "application/json", "{\"version\": 2}")
                        .statusCode())
                .isEqualTo(200);

        JsonNode observed = observed(id, List.of(series[40]));
        assertThat(observed.get("version").asLong()).as("pinned").isEqualTo(1);
        assertThat(json(get("/v1/models/lv-moving/versions/1")).get("state").asString())
                .as("kept loaded for its session")
                .isEqualTo("available");
        assertThat(open("lv-moving", body()).get("version").asLong())
                .as("new sessions follow the label")
                .isEqualTo(2);

        assertThat(send("DELETE", "/v1/models/lv-moving/versions/1", null, null).statusCode())
                .isEqualTo(204);
        JsonNode gone = assertProblem(observe(id, List.of(series[41])), 410, "gone", null);
        assertThat(gone.get("detail").asString()).contains("version 1").contains("open a new session");
        assertThat(assertProblem(get("/v1/sessions/" + id), 410, "gone", null)
                        .get("detail")
                        .asString())
                .contains("unloaded or deleted");
    }

    @Test
    void theLeastRecentlyUsedSessionIsEvictedAndHearsWhy() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        LiveSessions small = store(3, DataSize.ofMegabytes(64), Duration.ofHours(1), meters);
        String a = create(small);
        String b = create(small);
        String c = create(small);
        small.view(a); // a is now used more recently than b
        String d = create(small);
        assertThat(small.all()).containsOnlyKeys(a, c, d);
        Failure evicted = catchThrowableOfType(Failure.class, () -> small.view(b));
        assertThat(evicted.kind()).isEqualTo(Failure.Kind.GONE);
        assertThat(evicted.getMessage()).contains("evicted").contains("least recently used");
        assertThat(meters.get("seqserve.sessions.ended")
                        .tag("reason", "evicted")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(meters.get("seqserve.sessions")
                        .tag("task", "forecasting")
                        .gauge()
                        .value())
                .isEqualTo(3);
        small.all().values().forEach(s -> small.end(s, Ended.Reason.DELETED));
    }

    @Test
    void stateBytesAreBoundedToo() throws Exception {
        LiveSessions probe = store(100, DataSize.ofMegabytes(64), Duration.ofHours(1), new SimpleMeterRegistry());
        String one = create(probe);
        long size = probe.get(one).state().bytes();
        probe.end(probe.get(one), Ended.Reason.DELETED);

        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        LiveSessions small = store(100, DataSize.ofBytes(size * 2 + size / 2), Duration.ofHours(1), meters);
        create(small);
        String b = create(small);
        String c = create(small);
        assertThat(small.all()).containsOnlyKeys(b, c);
        assertThat(meters.get("seqserve.sessions.state").gauge().value()).isEqualTo(2.0 * size);
        small.all().values().forEach(s -> small.end(s, Ended.Reason.DELETED));
        assertThat(meters.get("seqserve.sessions.state").gauge().value()).isZero();

        LiveSessions tiny = store(100, DataSize.ofBytes(size / 2), Duration.ofHours(1), new SimpleMeterRegistry());
        Throwable refused = catchThrowableOfType(
                java.util.concurrent.CompletionException.class,
                () -> tiny.create(ModelRef.of("lv-rules"), request()).join());
        assertThat(refused.getCause())
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.TOO_LARGE));
        assertThat(tiny.all()).isEmpty();
    }

    @Test
    void idleSessionsExpireAfterTheirTtl() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        LiveSessions small = store(10, DataSize.ofMegabytes(64), Duration.ofMillis(300), meters);
        SessionSnapshots snapshots = new SessionSnapshots(
                small,
                new SnapshotStore(temp),
                registry,
                new LiveMetrics(new SimpleMeterRegistry()),
                properties(10, DataSize.ofMegabytes(64), Duration.ofMillis(300)));
        String id = create(small);
        String kept = small.create(
                        ModelRef.of("lv-rules"), new SessionRequest(null, null, null, null, null, null, 3600L))
                .join()
                .id();
        Thread.sleep(500);
        snapshots.tick();
        assertThat(catchThrowableOfType(Failure.class, () -> small.view(id)).getMessage())
                .contains("idle time");
        assertThat(small.view(kept).ttlSeconds()).isEqualTo(3600);
        assertThat(meters.get("seqserve.sessions.ended")
                        .tag("reason", "expired")
                        .counter()
                        .count())
                .isEqualTo(1);
        small.all().values().forEach(s -> small.end(s, Ended.Reason.DELETED));
    }

    @Test
    void sessionsAndTheirPassesAreInPrometheusWithLowCardinalityTags() throws Exception {
        String id = open("lv-rules", body("history", Arrays.copyOf(sunspots(), 30)))
                .get("id")
                .asString();
        observed(id, List.of(50.0));
        String scrape = get("/actuator/prometheus").body();
        assertThat(scrape)
                .contains("seqserve_sessions{")
                .contains("task=\"forecasting\"")
                .contains("seqserve_sessions_state_bytes")
                .contains("seqserve_sessions_started_total{")
                .contains("seqserve_session_step_rows_count")
                .contains("seqserve_session_observations_total{")
                .contains("seqserve_session_operation_duration_seconds_count{")
                .contains("api=\"session\"")
                .doesNotContain(id);
    }

    private static SessionRequest request() {
        return new SessionRequest(
                JsonNodeFactory.instance.arrayNode().add(10.0).add(20.0), null, null, null, null, null, null);
    }

    private static String create(LiveSessions store) {
        return store.create(ModelRef.of("lv-rules"), request()).join().id();
    }

    private static LiveProperties properties(int max, DataSize bytes, Duration ttl) {
        return new LiveProperties(max, bytes, ttl, Duration.ofHours(24), Duration.ofSeconds(1), 512, 100);
    }

    private LiveSessions store(int max, DataSize bytes, Duration ttl, SimpleMeterRegistry meters) {
        return new LiveSessions(
                tasks, inference, registry, batchers, new LiveMetrics(meters), properties(max, bytes, ttl));
    }
}
