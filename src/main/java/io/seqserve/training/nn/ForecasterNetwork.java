package io.seqserve.training.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.loss.L2Loss;
import ai.djl.training.loss.Loss;
import io.seqserve.registry.Manifest;
import java.util.ArrayList;
import java.util.List;

/**
 * The recurrent forecaster network ({@link ForecasterNetworkBlock}): {@code [batch, window, features]} in; out
 * {@code [batch, horizon]} for one target, {@code [batch, targets]} for several targets one step ahead,
 * {@code [batch, horizon, targets]} for several targets over a horizon. One head per target on a shared
 * recurrent trunk (multi-task); the loss is the MSE, weighted per target by {@code lossWeights} (equal when
 * null).
 *
 * @param targets     targets predicted (0, in manifests written before multi-target training: 1)
 * @param lossWeights one weight per target, or null
 */
public record ForecasterNetwork(
        String cell,
        int hiddenSize,
        int layers,
        double dropout,
        boolean attention,
        int window,
        int features,
        int horizon,
        int targets,
        List<Double> lossWeights)
        implements Network {

    static final String KIND = "forecaster";
    static final String INPUT = "input";

    public ForecasterNetwork {
        targets = targets == 0 ? 1 : targets;
        Network.positive("hidden_size", hiddenSize);
        Network.positive("layers", layers);
        Network.positive("window", window);
        Network.positive("features", features);
        Network.positive("horizon", horizon);
        if (lossWeights != null
                && (lossWeights.size() != targets
                        || lossWeights.stream().anyMatch(w -> w == null || !(w > 0) || !Double.isFinite(w)))) {
            throw new IllegalArgumentException("loss_weights needs one positive weight per target");
        }
    }

    /** A one-target network, as before targets and loss weights existed. */
    public ForecasterNetwork(
            String cell,
            int hiddenSize,
            int layers,
            double dropout,
            boolean attention,
            int window,
            int features,
            int horizon) {
        this(cell, hiddenSize, layers, dropout, attention, window, features, horizon, 1, null);
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
        if (targets == 1) {
            return new L2Loss("mse", 1);
        }
        double[] weights = new double[targets];
        for (int j = 0; j < targets; j++) {
            weights[j] = lossWeights == null ? 1 : lossWeights.get(j);
        }
        return new WeightedL2Loss("mse", weights);
    }

    /** The output's dimensions after the batch: {@code [H]}, {@code [T]} or {@code [H, T]}. */
    public long[] outputDims() {
        if (targets == 1) {
            return new long[] {horizon};
        }
        return horizon == 1 ? new long[] {targets} : new long[] {horizon, targets};
    }

    @Override
    public List<Manifest.TensorDecl> inputDecls() {
        return List.of(new Manifest.TensorDecl(INPUT, "float32", List.of(-1L, (long) window, (long) features)));
    }

    @Override
    public List<Manifest.TensorDecl> outputDecls() {
        List<Long> shape = new ArrayList<>(List.of(-1L));
        for (long d : outputDims()) {
            shape.add(d);
        }
        return List.of(new Manifest.TensorDecl("output", "float32", shape));
    }

    /** The recurrent state the block carries: {@code state_h}, and {@code state_c} for an LSTM. */
    public List<String> stateNames() {
        return cell.equals("lstm") ? List.of("state_h", "state_c") : List.of("state_h");
    }

    /**
     * Whether the block can carry its state between calls: attention weighs every output of the window it reads,
     * which a state cannot stand for.
     */
    public boolean canCarryState() {
        return !attention;
    }

    /**
     * The inputs of a stateful publication: input of any length ({@code [-1, -1, features]}) then each state
     * ({@code [-1, layers, hidden]}, batch on axis 0).
     */
    public List<Manifest.TensorDecl> statefulInputDecls() {
        List<Manifest.TensorDecl> decls = new ArrayList<>();
        decls.add(new Manifest.TensorDecl(INPUT, "float32", List.of(-1L, -1L, (long) features)));
        decls.addAll(stateDecls());
        return decls;
    }

    /** The outputs of a stateful publication: the forecast, then each state after the input. */
    public List<Manifest.TensorDecl> statefulOutputDecls() {
        List<Manifest.TensorDecl> decls = new ArrayList<>(outputDecls());
        decls.addAll(stateDecls());
        return decls;
    }

    private List<Manifest.TensorDecl> stateDecls() {
        return stateNames().stream()
                .map(s -> new Manifest.TensorDecl(s, "float32", List.of(-1L, (long) layers, (long) hiddenSize)))
                .toList();
    }

    @Override
    public String kind() {
        return KIND;
    }
}
