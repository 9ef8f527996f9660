package io.seqserve.generation;

import io.seqserve.Failure;
import io.seqserve.Throwables;
import io.seqserve.runtime.HostTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes every active generation of one model version in lock step: each step gathers the streams'
 * next inputs, runs them as one forward pass per input shape (rows = streams), then lets each stream
 * take its row. New streams join at the next step.
 *
 * <p>Rows are never left-padded to a common length: the models served here do not mask padding, so
 * it would change a stream's text depending on what else is running. Fixed-context and stateful models
 * have one row shape, so all their streams share one pass. Whole-history models that score every
 * position take rows of similar length right-padded in one pass, each row read at its own last
 * position (exact for causal models); other rows of different lengths run as separate passes.
 *
 * <p>One loop thread per version while it has streams: {@link #add} starts it, and it stops, under the
 * same lock, once no stream is left, so a stream joining at that moment is never lost.
 */
final class StepScheduler implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(StepScheduler.class);
    private static final int MIN_PADDING = 16;

    private final GenerationMetrics.ForModel metrics;
    private final int maxRows;
    private final List<Generation> joining = new ArrayList<>();
    private final List<Generation> active = new ArrayList<>();
    private boolean running;

    /** One forward pass: the streams it carries and, once run, their outputs or the failure. */
    private record Pass(List<Generation> streams, CompletableFuture<List<HostTensor>> result) {}

    StepScheduler(GenerationMetrics.ForModel metrics, int maxRows) {
        this.metrics = metrics;
        this.maxRows = maxRows;
    }

    /** Adds a stream; true when the caller must start the loop on a thread. */
    synchronized boolean add(Generation generation) {
        joining.add(generation);
        if (running) {
            return false;
        }
        running = true;
        return true;
    }

    @Override
    public void run() {
        while (true) {
            synchronized (this) {
                active.addAll(joining);
                joining.clear();
                if (active.isEmpty()) {
                    running = false;
                    return;
                }
            }
            try {
                step();
            } catch (RuntimeException | Error e) {
                log.error("generation step failed", e);
                Failure failure = Failure.internal("the generation step failed; see the server log");
                active.forEach(g -> g.fail(failure));
                active.clear();
            }
        }
    }

    private void step() {
        long now = System.nanoTime();
        active.removeIf(g -> g.endIfDue(now));
        List<Pass> passes = new ArrayList<>();
        for (List<Generation> group : groups()) {
            for (int from = 0; from < group.size(); from += maxRows) {
                passes.add(submit(group.subList(from, Math.min(group.size(), from + maxRows))));
            }
        }
        List<Generation> ended = new ArrayList<>();
        for (Pass pass : passes) {
            try {
                List<HostTensor> outputs = pass.result().join();
                for (int i = 0; i < pass.streams().size(); i++) {
                    Generation g = pass.streams().get(i);
                    try {
                        if (g.accept(outputs, i)) {
                            ended.add(g);
                        }
                    } catch (Failure e) {
                        g.fail(e);
                        ended.add(g);
                    }
                }
            } catch (CompletionException | Failure e) {
                Failure error = asFailure(e);
                pass.streams().forEach(g -> g.fail(error));
                ended.addAll(pass.streams());
            }
        }
        active.removeAll(ended);
    }

    /**
     * The streams that can share a pass: equal row lengths, or, for right-paddable rows, lengths close
     * enough that padding wastes little (the longest at most a quarter, or 16 tokens, longer than the shortest).
     */
    private List<List<Generation>> groups() {
        Map<Integer, List<Generation>> byLength = new TreeMap<>();
        for (Generation g : active) {
            byLength.computeIfAbsent(g.prepare(), k -> new ArrayList<>()).add(g);
        }
        if (active.isEmpty() || !active.get(0).paddable()) {
            return new ArrayList<>(byLength.values());
        }
        List<List<Generation>> groups = new ArrayList<>();
        int shortest = -1;
        for (Map.Entry<Integer, List<Generation>> e : byLength.entrySet()) {
            if (shortest < 0 || e.getKey() - shortest > Math.max(MIN_PADDING, shortest / 4)) {
                groups.add(new ArrayList<>());
                shortest = e.getKey();
            }
            groups.get(groups.size() - 1).addAll(e.getValue());
        }
        return groups;
    }

    private Pass submit(List<Generation> streams) {
        List<Generation> rows = List.copyOf(streams);
        int width = rows.stream().mapToInt(Generation::rowLength).max().orElseThrow();
        try {
            List<List<HostTensor>> perStream =
                    rows.stream().map(g -> g.inputs(width)).toList();
            List<HostTensor> inputs = new ArrayList<>();
            for (int i = 0; i < perStream.get(0).size(); i++) {
                int input = i;
                inputs.add(HostTensor.concat(
                        perStream.stream().map(p -> p.get(input)).toList()));
            }
            metrics.pass(rows.size());
            return new Pass(rows, rows.get(0).passes().run(inputs));
        } catch (Failure e) {
            return new Pass(rows, CompletableFuture.failedFuture(e));
        }
    }

    /** The pass's failure as the streams' callers hear it: a {@link Failure} as it is, anything else a bug. */
    private static Failure asFailure(RuntimeException e) {
        Throwable cause = Throwables.unwrap(e);
        if (cause instanceof Failure failure) {
            return failure;
        }
        log.error("generation forward pass failed", cause);
        return Failure.internal("the generation step failed; see the server log");
    }
}
