package io.seqserve.generation;

import io.seqserve.Failure;
import io.seqserve.inference.ForwardPass;
import io.seqserve.runtime.HostTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One request's decoding state: the token history, the model state a stateful model carries, the
 * random generator, the continuation so far. Driven by its model's {@link StepScheduler}, one step at a
 * time and from one thread; only {@link #cancel} may come from elsewhere.
 */
final class Generation {

    private static final double PROBABILITY_TOLERANCE = 1e-3;

    private final GenerationModel model;
    private final SamplingParams params;
    private final SplittableRandom random;
    private final ForwardPass passes;
    private final String modelName;
    private final long version;
    private final GenerationListener listener;
    private final GenerationMetrics.ForModel metrics;
    private final Runnable onEnd;
    private final long deadlineNanos;
    private final int promptTokens;
    private final boolean promptEndsWithWhitespace;
    private final int[] seen;
    private final Continuation continuation;
    private final List<HostTensor> state = new ArrayList<>();
    private int[] history;
    private int length;
    private int fed;
    private int[] row;
    private int width;
    private int generated;
    private long lastTokenNanos;
    private volatile boolean cancelled;
    private boolean ended;

    /**
     * {@code passes} runs this generation's forward passes on the version it holds ({@code modelName},
     * {@code version}); {@code onEnd} runs once when it ends, however it ends.
     */
    Generation(
            GenerationModel model,
            String prompt,
            int[] promptIds,
            SamplingParams params,
            ForwardPass passes,
            String modelName,
            long version,
            GenerationListener listener,
            GenerationMetrics.ForModel metrics,
            long deadlineNanos,
            Runnable onEnd) {
        this.model = model;
        this.params = params;
        this.random = params.seed() == null ? new SplittableRandom() : new SplittableRandom(params.seed());
        this.passes = passes;
        this.modelName = modelName;
        this.version = version;
        this.listener = listener;
        this.metrics = metrics;
        this.deadlineNanos = deadlineNanos;
        this.onEnd = onEnd;
        this.promptTokens = promptIds.length;
        this.promptEndsWithWhitespace = prompt.isEmpty() || Character.isWhitespace(prompt.charAt(prompt.length() - 1));
        this.seen = new int[model.tokenizer.vocabularySize()];
        this.continuation = new Continuation(params.stop());
        // An empty prompt starts from the pad token, so that the model has something to read.
        this.history = promptIds.length == 0
                ? new int[] {model.padId}
                : Arrays.copyOf(promptIds, promptIds.length + params.maxTokens());
        this.length = Math.max(1, promptIds.length);
        for (int id : promptIds) {
            seen[id]++;
        }
        for (GenerationModel.StateSlot slot : model.states) {
            state.add(Tensors.zeros(slot.dtype(), slot.shape()));
        }
        this.lastTokenNanos = System.nanoTime();
    }

    /** Runs a forward pass on this generation's version (for it and the streams that share the pass). */
    ForwardPass passes() {
        return passes;
    }

    /** Fixes this step's token row and returns its length. */
    int prepare() {
        if (model.stateful()) {
            row = Arrays.copyOfRange(history, fed, model.oneTokenPerStep ? fed + 1 : length);
        } else if (model.contextLength > 0) {
            row = new int[model.contextLength];
            int take = Math.min(length, row.length);
            Arrays.fill(row, 0, row.length - take, model.padId);
            System.arraycopy(history, length - take, row, row.length - take, take);
        } else {
            row = Arrays.copyOf(history, length);
        }
        return row.length;
    }

    int rowLength() {
        return row.length;
    }

    /** True when this stream's row may be right-padded to share a pass with longer rows. */
    boolean paddable() {
        return model.rightPadding;
    }

    /** This step's inputs in the model's input order, one row each, the tokens right-padded to {@code width}. */
    List<HostTensor> inputs(int width) {
        this.width = width;
        HostTensor[] inputs = new HostTensor[model.inputCount];
        inputs[model.tokenInput] = Tensors.tokens(model.tokenType, row, width, model.padId);
        for (int i = 0; i < model.states.size(); i++) {
            inputs[model.states.get(i).input()] = state.get(i);
        }
        return List.of(inputs);
    }

    /** Takes row {@code index} of a pass's outputs; true when the generation has ended. */
    boolean accept(List<HostTensor> outputs, int index) {
        if (model.stateful()) {
            for (int i = 0; i < model.states.size(); i++) {
                state.set(i, Tensors.row(outputs.get(model.states.get(i).output()), index));
            }
            fed += row.length;
            if (fed < length) {
                return false;
            }
        }
        float[] scores = Tensors.scores(outputs.get(model.scoresOutput), index, row.length - 1, width, seen.length);
        boolean probabilities = model.probabilities != null ? model.probabilities : looksLikeProbabilities(scores);
        int token = Sampler.next(scores, probabilities, params, seen, random);
        long now = System.nanoTime();
        metrics.token(generated == 0, now - lastTokenNanos);
        lastTokenNanos = now;
        if (history.length == length) {
            history = Arrays.copyOf(history, length + params.maxTokens());
        }
        history[length++] = token;
        seen[token]++;
        boolean afterWhitespace = continuation.isEmpty() ? promptEndsWithWhitespace : continuation.endsWithWhitespace();
        if (continuation.append(generated++, model.tokenizer.piece(token, afterWhitespace), listener)) {
            finish("stop");
            return true;
        }
        if (generated == params.maxTokens()) {
            finish("length");
            return true;
        }
        return false;
    }

    /** Ends the generation when it was cancelled or its deadline passed; true when it has ended. */
    boolean endIfDue(long now) {
        if (cancelled) {
            end("cancelled");
            return true;
        }
        if (now - deadlineNanos >= 0) {
            finish("deadline");
            return true;
        }
        return false;
    }

    void fail(Failure error) {
        if (!ended) {
            end("error");
            listener.onError(error);
        }
    }

    /** The client went away: stop at the next step. */
    void cancel() {
        cancelled = true;
    }

    private void finish(String reason) {
        if (!reason.equals("stop")) {
            continuation.flush(listener);
        }
        end(reason);
        listener.onFinish(new GenerationResult(
                modelName, version, continuation.text(), reason, promptTokens, continuation.sent()));
    }

    private void end(String outcome) {
        ended = true;
        metrics.ended(outcome);
        onEnd.run();
    }

    private static boolean looksLikeProbabilities(float[] scores) {
        double sum = 0;
        for (float s : scores) {
            if (s < 0 || Float.isNaN(s)) {
                return false;
            }
            sum += s;
        }
        return Math.abs(sum - 1) <= PROBABILITY_TOLERANCE;
    }
}
