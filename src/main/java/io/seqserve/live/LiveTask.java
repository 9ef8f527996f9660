package io.seqserve.live;

import io.seqserve.Failure;
import io.seqserve.inference.ForwardPass;
import io.seqserve.registry.ModelVersion;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;

/**
 * What a task (forecasting, text generation) does with live sessions of its models. {@link LiveSessions} owns
 * the sessions (ids, limits, pins, snapshots); a task owns what is in them. Passes run through {@code passes},
 * which batches the steps of every session of the version into shared forward passes.
 */
public interface LiveTask {

    /** The manifest task whose models this serves ({@code forecasting}, {@code text-generation}). */
    String task();

    /**
     * A new session's state from the create request, on {@code version}; may run forward passes (a forecast of
     * the given history). Throws or fails with a {@link io.seqserve.Failure} for input this task cannot use.
     */
    CompletableFuture<LiveState> open(ModelVersion version, ForwardPass passes, SessionRequest request);

    /** New observations: the next state. A task whose sessions do not take observations refuses them. */
    default CompletableFuture<LiveState> observe(
            ModelVersion version, ForwardPass passes, LiveState state, ObserveRequest request) {
        throw Failure.unprocessable("this is a " + task() + " session; it does not take observations");
    }

    /**
     * Called once {@code state} became session {@code session}'s state (opened, or observations committed), so the
     * task can keep a record of the answer (a forecast for scoring). Must not block nor throw.
     */
    default void answered(String session, ModelVersion version, LiveState state) {}

    /** The task's part of a session's answer (the forecast, the text), serialized unwrapped into the view. */
    Object view(LiveState state);

    /** The state as JSON for a snapshot; {@link #decode} must restore it exactly (same bits in every tensor). */
    JsonNode encode(LiveState state);

    LiveState decode(JsonNode data);
}
