package io.seqserve.live;

import io.seqserve.Failure;
import io.seqserve.Throwables;
import io.seqserve.inference.ForwardPass;
import io.seqserve.inference.Inference;
import io.seqserve.registry.ModelRef;
import io.seqserve.runtime.BatchAxes;
import io.seqserve.runtime.HostTensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The steps of every session of one model version, batched the way the generation step scheduler batches
 * streams: a step that arrives while the version's workers are busy waits, and everything that waited goes into
 * the next forward pass together (up to {@code maxRows} rows of one shape), each tensor stacked along its own
 * batch axis (a state {@code [layers, batch, hidden]} on axis 1) and the outputs split back along theirs. So a
 * thousand sessions observing at once cost a few passes, not a thousand, and a lone step never waits.
 */
final class StepBatcher implements ForwardPass {

    private record Step(List<HostTensor> inputs, String key, long rows, CompletableFuture<List<HostTensor>> result) {}

    private final ModelRef version;
    private final BatchAxes axes;
    private final int maxRows;
    private final int maxInFlight;
    private final Inference inference;
    private final Executor executor;
    private final LiveMetrics metrics;
    private final ArrayDeque<Step> pending = new ArrayDeque<>();
    private int inFlight;

    StepBatcher(
            ModelRef version,
            BatchAxes axes,
            int maxRows,
            int maxInFlight,
            Inference inference,
            Executor executor,
            LiveMetrics metrics) {
        this.version = version;
        this.axes = axes;
        this.maxRows = maxRows;
        this.maxInFlight = Math.max(1, maxInFlight);
        this.inference = inference;
        this.executor = executor;
        this.metrics = metrics;
    }

    /** One session's step: its inputs in the model's order, one row each along its batch axis. */
    @Override
    public CompletableFuture<List<HostTensor>> run(List<HostTensor> inputs) {
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < inputs.size(); i++) {
            key.append(inputs.get(i).stackKey(axes.input(i))).append(';');
        }
        HostTensor first = inputs.get(0);
        long rows = first.rank() == 0 ? 1 : first.dim(Math.min(axes.input(0), first.rank() - 1));
        Step step = new Step(inputs, key.toString(), rows, new CompletableFuture<>());
        List<Step> batch;
        synchronized (this) {
            pending.add(step);
            batch = take();
        }
        if (batch != null) {
            launch(batch);
        }
        return step.result();
    }

    /** The next pass's steps when a worker is free: the oldest step and the others of its shape. */
    private List<Step> take() {
        if (inFlight >= maxInFlight || pending.isEmpty()) {
            return null;
        }
        String key = pending.peek().key();
        List<Step> batch = new ArrayList<>();
        long rows = 0;
        for (Iterator<Step> it = pending.iterator(); it.hasNext(); ) {
            Step s = it.next();
            if (s.key().equals(key) && (batch.isEmpty() || rows + s.rows() <= maxRows)) {
                batch.add(s);
                rows += s.rows();
                it.remove();
            }
        }
        inFlight++;
        return batch;
    }

    private void launch(List<Step> batch) {
        CompletableFuture<List<HostTensor>> pass;
        try {
            List<HostTensor> inputs = new ArrayList<>();
            for (int i = 0; i < batch.get(0).inputs().size(); i++) {
                List<HostTensor> parts = new ArrayList<>(batch.size());
                for (Step s : batch) {
                    parts.add(s.inputs().get(i));
                }
                inputs.add(HostTensor.concat(parts, axes.input(i)));
            }
            metrics.pass(batch.size());
            pass = inference.within(version, "session", session -> session.run(inputs));
        } catch (RuntimeException e) {
            pass = CompletableFuture.failedFuture(e);
        }
        pass.whenCompleteAsync((outputs, error) -> finish(batch, outputs, error), executor);
    }

    private void finish(List<Step> batch, List<HostTensor> outputs, Throwable error) {
        try {
            if (error != null) {
                Throwable cause = Throwables.unwrap(error);
                batch.forEach(s -> s.result().completeExceptionally(cause));
            } else {
                distribute(batch, outputs);
            }
        } catch (RuntimeException e) {
            batch.forEach(s -> s.result().completeExceptionally(e));
        } finally {
            List<Step> next;
            synchronized (this) {
                inFlight--;
                next = take();
            }
            if (next != null) {
                launch(next);
            }
        }
    }

    private void distribute(List<Step> batch, List<HostTensor> outputs) {
        long total = batch.stream().mapToLong(Step::rows).sum();
        for (int o = 0; o < outputs.size(); o++) {
            HostTensor out = outputs.get(o);
            if (out.rank() <= axes.output(o) || out.dim(axes.output(o)) != total) {
                throw Failure.internal("output " + o + " of model '" + version.name()
                        + "' does not have one row per session step along its batch axis");
            }
        }
        long row = 0;
        for (Step s : batch) {
            List<HostTensor> mine = new ArrayList<>(outputs.size());
            for (int o = 0; o < outputs.size(); o++) {
                mine.add(outputs.get(o).slice(axes.output(o), row, s.rows()));
            }
            row += s.rows();
            s.result().complete(mine);
        }
    }
}
