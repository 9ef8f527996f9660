package io.seqserve.registry;

import ai.djl.nn.Block;

/**
 * Builds the untrained DJL block a {@code format: djl} version describes in its manifest's
 * {@code architecture}; the loader then reads the version's {@code .params} into it. Implemented by
 * the training feature, so the registry needs no knowledge of the architectures it trains.
 */
public interface TrainedBlockFactory {

    /** The block for this manifest; {@link IllegalArgumentException} when the architecture is unusable. */
    Block build(Manifest manifest);
}
