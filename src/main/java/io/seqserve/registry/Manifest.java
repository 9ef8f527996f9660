package io.seqserve.registry;

import java.util.List;
import java.util.Map;

/**
 * {@code seqserve.yaml} (or {@code seqserve.json}) beside a version's artifact. Every field is optional.
 * {@code inputs}/{@code outputs} declare a signature for formats that do not carry one (TorchScript).
 * The {@code forecasting} and {@code text_generation} blocks belong to those features and are kept
 * as parsed here. {@code architecture} describes a block trained by seqserve ({@code format: djl}, read
 * by {@link TrainedBlockFactory}); {@code training} records how it was trained (job, data set, seed).
 * {@code state} names the recurrent state a model takes and returns (so it can be carried between calls) and
 * the axis those tensors batch on.
 */
public record Manifest(
        String format,
        String task,
        String signature,
        List<TensorDecl> inputs,
        List<TensorDecl> outputs,
        Map<String, Object> forecasting,
        Map<String, Object> textGeneration,
        Batching batching,
        Map<String, Integer> workers,
        Boolean required,
        Map<String, Object> metrics,
        String description,
        Map<String, Object> architecture,
        Map<String, Object> training,
        State state) {

    public static final Manifest EMPTY =
            new Manifest(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    /** A declared tensor: {@code dtype} like float32/int64, {@code shape} with -1 for any size. */
    public record TensorDecl(String name, String dtype, List<Long> shape) {}

    /**
     * Recurrent state: {@code outputs[i]} is the next value of {@code inputs[i]} (a first call starts from
     * zeros). {@code batchAxis} is the axis the state tensors carry the batch on (default 0; PyTorch's
     * {@code [layers, batch, hidden]} is 1); the other tensors batch on axis 0.
     */
    public record State(List<String> inputs, List<String> outputs, Integer batchAxis) {

        public int batchAxisOrDefault() {
            return batchAxis == null ? 0 : batchAxis;
        }
    }

    /** Dynamic batching for this model; unset fields take the server defaults. */
    public record Batching(Integer maxBatchSize, Integer maxDelayMs, Integer queueCapacity) {}

    /** This manifest with {@code inputs} declared. */
    public Manifest withInputs(List<TensorDecl> declared) {
        return new Manifest(
                format,
                task,
                signature,
                declared,
                outputs,
                forecasting,
                textGeneration,
                batching,
                workers,
                required,
                metrics,
                description,
                architecture,
                training,
                state);
    }

    /** This manifest with another {@code forecasting} block. */
    public Manifest withForecasting(Map<String, Object> block) {
        return new Manifest(
                format,
                task,
                signature,
                inputs,
                outputs,
                block,
                textGeneration,
                batching,
                workers,
                required,
                metrics,
                description,
                architecture,
                training,
                state);
    }

    public String taskOrDefault() {
        return task == null ? "generic" : task;
    }
}
