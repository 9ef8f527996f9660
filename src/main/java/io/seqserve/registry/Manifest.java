package io.seqserve.registry;

import java.util.List;
import java.util.Map;

/**
 * {@code seqserve.yaml} (or {@code seqserve.json}) beside a version's artifact. Every field is optional.
 * {@code inputs}/{@code outputs} declare a signature for formats that do not carry one (TorchScript).
 * The {@code forecasting} and {@code text_generation} blocks belong to those features and are kept
 * as parsed here. {@code architecture} describes a block trained by seqserve ({@code format: djl}, read
 * by {@link TrainedBlockFactory}); {@code training} records how it was trained (job, data set, seed).
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
        Map<String, Object> training) {

    public static final Manifest EMPTY =
            new Manifest(null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    /** A declared tensor: {@code dtype} like float32/int64, {@code shape} with -1 for any size. */
    public record TensorDecl(String name, String dtype, List<Long> shape) {}

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
                training);
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
                training);
    }

    public String taskOrDefault() {
        return task == null ? "generic" : task;
    }
}
