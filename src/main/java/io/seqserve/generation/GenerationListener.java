package io.seqserve.generation;

import io.seqserve.Failure;

/**
 * Receives one generation's output, in order, from the decoding thread; implementations must not block.
 * Exactly one of {@link #onFinish} and {@link #onError} ends it, unless it was cancelled.
 */
interface GenerationListener {

    /** Text of the token at {@code index} (0-based); a token cut by a stop string arrives shortened. */
    void onToken(int index, String text);

    void onFinish(GenerationResult result);

    void onError(Failure error);
}
