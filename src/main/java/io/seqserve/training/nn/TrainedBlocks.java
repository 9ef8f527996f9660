package io.seqserve.training.nn;

import ai.djl.nn.Block;
import io.seqserve.registry.Manifest;
import io.seqserve.registry.TrainedBlockFactory;
import org.springframework.stereotype.Component;

/** Rebuilds the blocks this feature trains from a manifest's {@code architecture}, for the registry's loader. */
@Component
class TrainedBlocks implements TrainedBlockFactory {

    @Override
    public Block build(Manifest manifest) {
        if (manifest.architecture() == null) {
            throw new IllegalArgumentException("the manifest has no architecture");
        }
        return Network.fromArchitecture(manifest.architecture()).newBlock();
    }
}
