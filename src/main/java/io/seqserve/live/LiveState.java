package io.seqserve.live;

/**
 * What a live session holds for its task: recurrent state tensors, the window or text it keeps, its current
 * answer. Immutable: a change makes a new one, so a snapshot or a view reads a consistent state without a lock.
 */
public interface LiveState {

    /** The bytes this state holds, counted against {@code seqserve.sessions.max-state-bytes}. */
    long bytes();
}
