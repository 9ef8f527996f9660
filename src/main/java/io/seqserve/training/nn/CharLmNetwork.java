package io.seqserve.training.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import io.seqserve.registry.Manifest;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link CharLmNetworkBlock}: token ids and recurrent state in, next-token logits and the new state out;
 * trained with softmax cross-entropy on the next character at every position, from a zero state.
 */
public record CharLmNetwork(
        String cell, int hiddenSize, int layers, double dropout, int vocabularySize, int embeddingSize)
        implements Network {

    static final String KIND = "char_lm";

    public CharLmNetwork {
        Network.positive("hidden_size", hiddenSize);
        Network.positive("layers", layers);
        Network.positive("vocabulary_size", vocabularySize);
        Network.positive("embedding_size", embeddingSize);
    }

    public List<String> inputNames() {
        return Cells.hasCellState(cell) ? List.of("tokens", "state_h", "state_c") : List.of("tokens", "state_h");
    }

    @Override
    public Block newBlock() {
        return new CharLmNetworkBlock(this);
    }

    @Override
    public Shape[] inputShapes(long batch) {
        List<Shape> shapes = new ArrayList<>(List.of(new Shape(batch, 1)));
        for (int i = 1; i < inputNames().size(); i++) {
            shapes.add(stateShape(batch));
        }
        return shapes.toArray(Shape[]::new);
    }

    @Override
    public NDList inputs(NDArray tokens) {
        NDList inputs = new NDList(tokens);
        for (int i = 1; i < inputNames().size(); i++) {
            inputs.add(tokens.getManager().zeros(stateShape(tokens.getShape().get(0))));
        }
        return inputs;
    }

    private Shape stateShape(long batch) {
        return new Shape(batch, layers, hiddenSize);
    }

    @Override
    public Loss loss() {
        return new NextTokenLoss(vocabularySize);
    }

    @Override
    public List<Manifest.TensorDecl> inputDecls() {
        List<Manifest.TensorDecl> decls =
                new ArrayList<>(List.of(new Manifest.TensorDecl("tokens", "int64", List.of(-1L, -1L))));
        for (String state : inputNames().subList(1, inputNames().size())) {
            decls.add(new Manifest.TensorDecl(state, "float32", List.of(-1L, (long) layers, (long) hiddenSize)));
        }
        return decls;
    }

    @Override
    public List<Manifest.TensorDecl> outputDecls() {
        List<Manifest.TensorDecl> decls = new ArrayList<>(
                List.of(new Manifest.TensorDecl("logits", "float32", List.of(-1L, -1L, (long) vocabularySize))));
        for (String state : inputNames().subList(1, inputNames().size())) {
            decls.add(new Manifest.TensorDecl(state, "float32", List.of(-1L, (long) layers, (long) hiddenSize)));
        }
        return decls;
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** Mean cross-entropy of the logits (first output) against the next token at every position. */
    static final class NextTokenLoss extends Loss {
        private final SoftmaxCrossEntropyLoss crossEntropy =
                new SoftmaxCrossEntropyLoss("cross_entropy", 1, -1, true, true);
        private final int vocabularySize;

        NextTokenLoss(int vocabularySize) {
            super("cross_entropy");
            this.vocabularySize = vocabularySize;
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            // DJL's sparse pick wants one label per row: flatten [batch, time] to [batch * time].
            return crossEntropy.evaluate(
                    new NDList(labels.head().reshape(-1)),
                    new NDList(predictions.head().reshape(-1, vocabularySize)));
        }
    }
}
