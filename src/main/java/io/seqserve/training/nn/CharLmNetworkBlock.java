package io.seqserve.training.nn;

import ai.djl.modality.nlp.DefaultVocabulary;
import ai.djl.modality.nlp.embedding.TrainableWordEmbedding;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
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
 * A character language model that carries its recurrent state in and out, so a generator feeds one
 * token per step: inputs {@code tokens [batch, time]} (int64) and {@code state_h} (and for LSTM
 * {@code state_c}) {@code [batch, layers, hidden]}; outputs {@code logits [batch, time, vocabulary]} and
 * the states after the last step in the same layout. Batch is dimension 0 of every tensor, so the
 * serving workers can stack requests; DJL's recurrent layers want {@code [layers, batch, hidden]}, so
 * the states are transposed on the way in and out.
 */
final class CharLmNetworkBlock extends AbstractBlock {

    private final Block embedding;
    private final Block rnn;
    private final Block dropout;
    private final Block head;
    private final CharLmNetwork spec;

    CharLmNetworkBlock(CharLmNetwork spec) {
        this.spec = spec;
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < spec.vocabularySize(); i++) {
            tokens.add(String.valueOf(i));
        }
        embedding = addChildBlock(
                "embedding",
                TrainableWordEmbedding.builder()
                        .setVocabulary(new DefaultVocabulary(tokens))
                        .setEmbeddingSize(spec.embeddingSize())
                        .build());
        rnn = addChildBlock("rnn", Cells.build(spec.cell(), spec.hiddenSize(), spec.layers(), spec.dropout(), true));
        dropout = spec.dropout() > 0
                ? addChildBlock(
                        "dropout",
                        Dropout.builder().optRate((float) spec.dropout()).build())
                : null;
        head = addChildBlock(
                "head", Linear.builder().setUnits(spec.vocabularySize()).build());
        inputNames = spec.inputNames();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray embedded = embedding
                .forward(store, new NDList(inputs.get(0)), training, params)
                .head();
        NDList rnnInputs = new NDList(embedded);
        for (int i = 1; i < inputs.size(); i++) {
            rnnInputs.add(inputs.get(i).transpose(1, 0, 2));
        }
        NDList rnnOutputs = rnn.forward(store, rnnInputs, training, params);
        NDArray outputs = rnnOutputs.get(0);
        if (dropout != null) {
            outputs = dropout.forward(store, new NDList(outputs), training, params)
                    .head();
        }
        NDList result = new NDList(
                head.forward(store, new NDList(outputs), training, params).head());
        for (int i = 1; i < rnnOutputs.size(); i++) {
            result.add(rnnOutputs.get(i).transpose(1, 0, 2));
        }
        return result;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape tokens = inputs[0];
        Shape[] shapes = new Shape[inputs.length];
        shapes[0] = new Shape(tokens.get(0), tokens.get(1), spec.vocabularySize());
        for (int i = 1; i < inputs.length; i++) {
            shapes[i] = inputs[i];
        }
        return shapes;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputs) {
        embedding.initialize(manager, dataType, inputs[0]);
        Shape embedded = embedding.getOutputShapes(new Shape[] {inputs[0]})[0];
        rnn.initialize(manager, dataType, embedded);
        Shape outputs = rnn.getOutputShapes(new Shape[] {embedded})[0];
        if (dropout != null) {
            dropout.initialize(manager, dataType, outputs);
        }
        head.initialize(manager, dataType, outputs);
    }
}
