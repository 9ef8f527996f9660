package io.seqserve.training.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.loss.Loss;
import io.seqserve.registry.Manifest;
import io.seqserve.training.data.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.type.TypeReference;

/**
 * A trainable architecture: its DJL block, how a batch of examples feeds it, its loss, and how it is
 * described in a manifest ({@code architecture}, {@code inputs}, {@code outputs}) so that the
 * registry can rebuild the block and load the trained parameters.
 */
public sealed interface Network permits ForecasterNetwork, CharLmNetwork {

    /** A fresh, uninitialized block. */
    Block newBlock();

    /** The block's input shapes for a batch of {@code batch} examples. */
    Shape[] inputShapes(long batch);

    /** The block's inputs for a batch of examples (e.g. the char LM adds zero initial states). */
    NDList inputs(NDArray examples);

    Loss loss();

    List<Manifest.TensorDecl> inputDecls();

    List<Manifest.TensorDecl> outputDecls();

    String kind();

    /** The manifest's {@code architecture}: the record's fields plus {@code kind}. */
    default Map<String, Object> architecture() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("kind", kind());
        map.putAll(Json.FILES.convertValue(this, new TypeReference<Map<String, Object>>() {}));
        map.values().removeIf(java.util.Objects::isNull);
        return map;
    }

    /** The network an {@code architecture} block describes. */
    static Network fromArchitecture(Map<String, Object> architecture) {
        Map<String, Object> fields = new LinkedHashMap<>(architecture);
        Object kind = fields.remove("kind");
        try {
            Network network = switch (String.valueOf(kind)) {
                case ForecasterNetwork.KIND -> Json.FILES.convertValue(fields, ForecasterNetwork.class);
                case CharLmNetwork.KIND -> Json.FILES.convertValue(fields, CharLmNetwork.class);
                default -> throw new IllegalArgumentException("unknown kind '" + kind + "' (forecaster, char_lm)");
            };
            network.newBlock();
            return network;
        } catch (tools.jackson.core.JacksonException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    static void positive(String field, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(field + " must be positive");
        }
    }
}
