package io.seqserve.training.nn;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.loss.Loss;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import io.seqserve.runtime.HostTensor;
import java.io.IOException;
import java.nio.file.Path;

/** A network with trained parameters, for evaluation after training and for saving the version's {@code .params}. */
public final class TrainedModel implements AutoCloseable {

    private static final int CHUNK = 512;

    private final Network network;
    private final Model model;
    private final Predictor<NDList, NDList> predictor;

    public TrainedModel(Network network, byte[] params, Device device) {
        this.network = network;
        this.model = Model.newInstance("model", device, EpochLoop.ENGINE);
        Block block = network.newBlock();
        BlockParams.load(block, model.getNDManager(), params);
        model.setBlock(block);
        this.predictor = model.newPredictor(new NoopTranslator());
    }

    /** The first output for a batch of examples (fed from a zero state where the network has one). */
    public HostTensor predict(HostTensor examples) {
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDList outputs = predictor.predict(network.inputs(examples.toNDArray(manager, "inputs")));
            HostTensor first = HostTensor.fromNDArray(outputs.get(0));
            outputs.close();
            return first;
        } catch (TranslateException e) {
            throw new IllegalStateException("evaluation failed: " + e.getMessage(), e);
        }
    }

    /** The mean training loss over the samples. */
    public double loss(Samples samples) {
        Loss loss = network.loss();
        double sum = 0;
        for (int from = 0; from < samples.size(); from += CHUNK) {
            int to = Math.min(samples.size(), from + CHUNK);
            try (NDManager manager = model.getNDManager().newSubManager()) {
                NDList batch = samples.range(manager, from, to);
                NDList outputs = predictor.predict(network.inputs(batch.get(0)));
                sum += loss.evaluate(new NDList(batch.get(1)), outputs).getFloat() * (to - from);
                outputs.close();
            } catch (TranslateException e) {
                throw new IllegalStateException("evaluation failed: " + e.getMessage(), e);
            }
        }
        return sum / samples.size();
    }

    /** Writes {@code model-0000.params} (DJL's format) into {@code dir}. */
    public void save(Path dir) throws IOException {
        model.save(dir, "model");
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }
}
