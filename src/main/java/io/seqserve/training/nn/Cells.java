package io.seqserve.training.nn;

import ai.djl.nn.recurrent.GRU;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.nn.recurrent.RNN;
import ai.djl.nn.recurrent.RecurrentBlock;

/** DJL's own recurrent layers, batch first: inputs {@code [batch, time, features]}. */
final class Cells {

    private Cells() {}

    static RecurrentBlock build(String cell, int hiddenSize, int layers, double dropout, boolean returnState) {
        // DJL applies dropout between stacked layers only; a single layer has none.
        float between = layers > 1 ? (float) dropout : 0f;
        return switch (cell) {
            case "rnn" ->
                RNN.builder()
                        .setActivation(RNN.Activation.TANH)
                        .setStateSize(hiddenSize)
                        .setNumLayers(layers)
                        .optDropRate(between)
                        .optBatchFirst(true)
                        .optReturnState(returnState)
                        .build();
            case "lstm" ->
                LSTM.builder()
                        .setStateSize(hiddenSize)
                        .setNumLayers(layers)
                        .optDropRate(between)
                        .optBatchFirst(true)
                        .optReturnState(returnState)
                        .build();
            case "gru" ->
                GRU.builder()
                        .setStateSize(hiddenSize)
                        .setNumLayers(layers)
                        .optDropRate(between)
                        .optBatchFirst(true)
                        .optReturnState(returnState)
                        .build();
            default -> throw new IllegalArgumentException("unknown cell '" + cell + "'");
        };
    }

    /** LSTMs carry a cell state beside the hidden state. */
    static boolean hasCellState(String cell) {
        return cell.equals("lstm");
    }
}
