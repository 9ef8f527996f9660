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

    /**
     * A forecaster without attention carries its state in and out (as the char LM does), so it serves as a
     * stateful model: its input takes any number of steps, and sessions feed it one new value at a time.
     */
    public boolean stateful() {
        return !attention;
    }

    private List<String> stateNames() {
        return Cells.hasCellState(cell) ? List.of("state_h", "state_c") : List.of("state_h");
    }

    @Override
    public List<Manifest.TensorDecl> inputDecls() {
        if (!stateful()) {
            return List.of(new Manifest.TensorDecl(INPUT, "float32", List.of(-1L, (long) window, (long) features)));
        }
        List<Manifest.TensorDecl> decls = new java.util.ArrayList<>(
                List.of(new Manifest.TensorDecl(INPUT, "float32", List.of(-1L, -1L, (long) features))));
        stateNames().forEach(n -> decls.add(stateDecl(n)));
        return decls;
    }

    @Override
    public List<Manifest.TensorDecl> outputDecls() {
        List<Manifest.TensorDecl> decls = new java.util.ArrayList<>(
                List.of(new Manifest.TensorDecl("output", "float32", List.of(-1L, (long) horizon))));
        if (stateful()) {
            stateNames().forEach(n -> decls.add(stateDecl(n)));
        }
        return decls;
    }

    /** The manifest's {@code state} block as written, or null for a forecaster with attention. */
    public java.util.Map<String, Object> stateBlock() {
        return stateful() ? java.util.Map.of("inputs", stateNames(), "outputs", stateNames(), "batch_axis", 0) : null;
    }

    private Manifest.TensorDecl stateDecl(String name) {
        return new Manifest.TensorDecl(name, "float32", List.of(-1L, (long) layers, (long) hiddenSize));
    }

    @Override
    public String kind() {
        return KIND;
    }
}
