package io.seqserve.training.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.loss.L2Loss;
import ai.djl.training.loss.Loss;
import io.seqserve.registry.Manifest;
import java.util.List;

/** The recurrent forecaster network ({@link ForecasterNetworkBlock}): {@code [batch, window, features]} in, {@code [batch, horizon]} out, MSE loss. */
public record ForecasterNetwork(
        String cell,
        int hiddenSize,
        int layers,
        double dropout,
        boolean attention,
        int window,
        int features,
        int horizon)
        implements Network {

    static final String KIND = "forecaster";
    static final String INPUT = "input";

    public ForecasterNetwork {
        Network.positive("hidden_size", hiddenSize);
        Network.positive("layers", layers);
        Network.positive("window", window);
        Network.positive("features", features);
        Network.positive("horizon", horizon);
    }

    @Override
    public Block newBlock() {
        return new ForecasterNetworkBlock(this);
    }

    @Override
    public Shape[] inputShapes(long batch) {
        return new Shape[] {new Shape(batch, window, features)};
    }

    @Override
    public NDList inputs(NDArray examples) {
        return new NDList(examples);
    }

    @Override
    public Loss loss() {
        return new L2Loss("mse", 1);
    }

    @Override
    public List<Manifest.TensorDecl> inputDecls() {
        return List.of(new Manifest.TensorDecl(INPUT, "float32", List.of(-1L, (long) window, (long) features)));
    }

    @Override
    public List<Manifest.TensorDecl> outputDecls() {
        return List.of(new Manifest.TensorDecl("output", "float32", List.of(-1L, (long) horizon)));
    }

    @Override
    public String kind() {
        return KIND;
    }
}
