package io.seqserve.training.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The seed tutorial's {@code RNNModel(input_dim, hidden_dim, output_dim)}: a recurrent layer over the
 * window, its last output (with attention: also the attention-weighted sum of all its outputs) through
 * dropout and a linear head. Input {@code [batch, window, features]}, output {@code [batch, horizon]}. With
 * several targets the recurrent trunk is shared and each target has its own head ({@code head_0},
 * {@code head_1}, ...), stacked to {@code [batch, horizon, targets]} ({@code [batch, targets]} one step ahead).
 */
final class ForecasterNetworkBlock extends AbstractBlock {

    private final Block rnn;
    private final Block scorer;
    private final Block dropout;
    private final List<Block> heads = new ArrayList<>();
    private final ForecasterNetwork spec;

    ForecasterNetworkBlock(ForecasterNetwork spec) {
        this.spec = spec;
        rnn = addChildBlock("rnn", Cells.build(spec.cell(), spec.hiddenSize(), spec.layers(), spec.dropout(), false));
        scorer = spec.attention()
                ? addChildBlock(
                        "attention", Linear.builder().setUnits(1).optBias(false).build())
                : null;
        dropout = spec.dropout() > 0
                ? addChildBlock(
                        "dropout",
                        Dropout.builder().optRate((float) spec.dropout()).build())
                : null;
        for (int j = 0; j < spec.targets(); j++) {
            String name = spec.targets() == 1 ? "head" : "head_" + j;
            heads.add(addChildBlock(
                    name, Linear.builder().setUnits(spec.horizon()).build()));
        }
        inputNames = List.of(ForecasterNetwork.INPUT);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray outputs =
                rnn.forward(store, new NDList(inputs.head()), training, params).head();
        NDArray features = outputs.get(new NDIndex(":, -1, :"));
        if (scorer != null) {
            NDArray weights = scorer.forward(store, new NDList(outputs), training, params)
                    .head()
                    .softmax(1);
            NDArray context = outputs.mul(weights).sum(new int[] {1});
            features = NDArrays.concat(new NDList(context, features), 1);
        }
        if (dropout != null) {
            features = dropout.forward(store, new NDList(features), training, params)
                    .head();
        }
        if (heads.size() == 1) {
            return heads.get(0).forward(store, new NDList(features), training, params);
        }
        NDList perTarget = new NDList();
        for (Block head : heads) {
            perTarget.add(
                    head.forward(store, new NDList(features), training, params).head());
        }
        NDArray stacked = NDArrays.stack(perTarget, 2);
        return new NDList(
                spec.horizon() == 1 ? stacked.reshape(stacked.getShape().get(0), heads.size()) : stacked);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        long[] dims = spec.outputDims();
        long[] shape = new long[dims.length + 1];
        shape[0] = inputs[0].get(0);
        System.arraycopy(dims, 0, shape, 1, dims.length);
        return new Shape[] {new Shape(shape)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputs) {
        rnn.initialize(manager, dataType, inputs[0]);
        Shape outputs = rnn.getOutputShapes(new Shape[] {inputs[0]})[0];
        long width = outputs.get(2) * (scorer != null ? 2 : 1);
        if (scorer != null) {
            scorer.initialize(manager, dataType, outputs);
        }
        Shape features = new Shape(outputs.get(0), width);
        if (dropout != null) {
            dropout.initialize(manager, dataType, features);
        }
        for (Block head : heads) {
            head.initialize(manager, dataType, features);
        }
    }
}
