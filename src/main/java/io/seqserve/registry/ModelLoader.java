package io.seqserve.registry;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import io.micrometer.core.instrument.MeterRegistry;
import io.seqserve.Throwables;
import io.seqserve.runtime.BatchPolicy;
import io.seqserve.runtime.Devices;
import io.seqserve.runtime.EngineThreads;
import io.seqserve.runtime.PoolMeters;
import io.seqserve.runtime.RuntimeProperties;
import io.seqserve.runtime.TensorSpec;
import io.seqserve.runtime.WarmUp;
import io.seqserve.runtime.WorkerPool;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Turns a version directory into a {@link LoadedModel}: signature checks before the engine sees the
 * files, one DJL model per device, a warm-up forward pass (so a broken model fails here, never on a
 * user's request), then the worker pools, each of whose workers runs every batch size it can form before
 * the version is available ({@link WarmUp}).
 */
@Component
public class ModelLoader {

    private static final Logger log = LoggerFactory.getLogger(ModelLoader.class);

    /** Rounds of every batch size each worker runs before the version is available (TorchScript specialises on the second). */
    private static final int WARMUP_ROUNDS = 2;

    private static final Duration WARMUP_TIMEOUT = Duration.ofMinutes(5);

    private final RuntimeProperties runtime;
    private final Devices devices;
    private final MeterRegistry meters;
    private final ObjectProvider<TrainedBlockFactory> trainedBlocks;

    public ModelLoader(
            RuntimeProperties runtime,
            Devices devices,
            MeterRegistry meters,
            ObjectProvider<TrainedBlockFactory> trainedBlocks) {
        this.runtime = runtime;
        this.devices = devices;
        this.meters = meters;
        this.trainedBlocks = trainedBlocks;
    }

    /** What a successful load produces. */
    public record Result(ModelFormat format, Signature signature, LoadedModel model, List<String> warnings) {}

    public Result load(String name, long version, Path dir, Manifest manifest) throws LoadException {
        ModelFormat format = manifest.format() != null
                ? ModelFormat.parse(manifest.format()).orElseThrow()
                : ModelFormat.detect(dir)
                        .orElseThrow(
                                () -> new LoadException(
                                        "no model artifact found: expected saved_model.pb, a .pt (TorchScript) or an .onnx file"));
        Path artifact = ModelFormat.artifact(dir, format)
                .orElseThrow(() -> new LoadException("format " + format.id() + " declared but no artifact found"));
        if (format == ModelFormat.DJL && (manifest.architecture() == null || trainedBlocks.getIfAvailable() == null)) {
            throw new LoadException(
                    "DJL parameter files need the architecture that seqserve's trainer writes; this version has none");
        }
        Signature signature = switch (format) {
            case SAVEDMODEL -> SignatureReader.savedModel(dir, manifest.signature());
            case ONNX -> SignatureReader.onnx(artifact);
            default -> SignatureReader.declared(manifest);
        };
        Map<Device, Integer> placement = devices.placement(format.engine(), manifest.workers(), runtime.workers());
        List<ZooModel<NDList, NDList>> models = new ArrayList<>();
        List<WorkerPool> pools = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        try {
            for (Device device : placement.keySet()) {
                models.add(loadOnDevice(format, dir, artifact, manifest, device));
            }
            Probe warmUp = warmUp(
                    models.get(0), signature, placement.keySet().iterator().next());
            signature = warmUp.signature();
            BatchPolicy policy = batchPolicy(manifest);
            if (policy.maxBatchSize() > 1 && !warmUp.batchable()) {
                warnings.add("dynamic batching disabled: the model's inputs or outputs have no free batch dimension");
                policy = policy.withMaxBatchSize(1);
            }
            WarmUp workerWarmUp =
                    WarmUp.zeros(signature.inputs(), policy.maxBatchSize() > 1, policy.maxBatchSize(), WARMUP_ROUNDS);
            int i = 0;
            for (Map.Entry<Device, Integer> e : placement.entrySet()) {
                String device = e.getKey().toString();
                pools.add(new WorkerPool(
                        name + ":" + version + ":" + device,
                        models.get(i++),
                        e.getKey(),
                        signature.inputNames(),
                        policy,
                        e.getValue(),
                        new PoolMeters(meters, name, String.valueOf(version), device),
                        workerWarmUp));
            }
            long warmStart = System.nanoTime();
            awaitWarmUp(pools);
            log.info(
                    "{} {}: {} warm-up passes on each worker in {} ms",
                    name,
                    version,
                    workerWarmUp.passes().size(),
                    (System.nanoTime() - warmStart) / 1_000_000);
            return new Result(format, signature, new LoadedModel(models, pools), warnings);
        } catch (LoadException | RuntimeException e) {
            pools.forEach(p -> p.close(Duration.ZERO));
            models.forEach(ZooModel::close);
            throw e;
        }
    }

    private ZooModel<NDList, NDList> loadOnDevice(
            ModelFormat format, Path dir, Path artifact, Manifest manifest, Device device) throws LoadException {
        Criteria.Builder<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelPath(dir)
                .optEngine(format.engine())
                .optDevice(device)
                .optTranslator(new NoopTranslator());
        switch (format) {
            case SAVEDMODEL ->
                criteria.optOption(
                        "SignatureDefKey",
                        manifest.signature() == null ? SignatureReader.SERVING_DEFAULT : manifest.signature());
            case TORCHSCRIPT, ONNX -> {
                String file = artifact.getFileName().toString();
                criteria.optModelName(file.substring(0, file.lastIndexOf('.')));
            }
            case DJL -> {
                // DJL names parameter files <prefix>-<epoch>.params and finds the newest epoch itself.
                String file = artifact.getFileName().toString();
                criteria.optModelName(file.replaceFirst("(-[0-9]{4})?\\.params$", ""));
                try {
                    criteria.optBlock(trainedBlocks.getObject().build(manifest));
                } catch (IllegalArgumentException e) {
                    throw new LoadException("invalid architecture in seqserve.yaml: " + e.getMessage(), e);
                }
            }
            default -> {}
        }
        try {
            return criteria.build().loadModel();
        } catch (ModelNotFoundException | MalformedModelException | IOException | RuntimeException e) {
            throw new LoadException(
                    "the " + format.engine() + " engine could not load the model: " + Throwables.rootMessage(e), e);
        }
    }

    /** What the loader's own warm-up learned: the completed signature, and whether outputs follow the batch. */
    private record Probe(Signature signature, boolean batchable) {}

    /**
     * Runs zero inputs through the model at batch 1 (and 2, to learn whether outputs follow the batch),
     * and completes the signature's outputs from what came back.
     */
    private Probe warmUp(ZooModel<NDList, NDList> model, Signature signature, Device device) throws LoadException {
        if (signature.inputs().isEmpty()) {
            throw new LoadException("the model declares no inputs; TorchScript models need 'inputs' in seqserve.yaml");
        }
        for (TensorSpec input : signature.inputs()) {
            if (input.dtype() == DataType.STRING || input.dtype() == DataType.UNKNOWN) {
                throw new LoadException(
                        "input '" + input.name() + "' has type " + input.dtype() + ", which seqserve cannot feed");
            }
        }
        EngineThreads.limitCurrentThread(model.getNDManager().getEngine());
        try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator(), device);
                NDManager manager = model.getNDManager().newSubManager(device)) {
            NDList one = predictor.predict(zeros(manager, signature, 1));
            if (one.isEmpty()) {
                throw new LoadException("the model returned no outputs");
            }
            List<TensorSpec> outputs = outputSpecs(signature, one);
            boolean batchable = signature.batchable();
            if (batchable) {
                NDList two = predictor.predict(zeros(manager, signature, 2));
                batchable = two.stream()
                        .allMatch(a ->
                                a.getShape().dimension() > 0 && a.getShape().get(0) == 2);
            }
            return new Probe(new Signature(signature.inputs(), outputs), batchable);
        } catch (TranslateException | RuntimeException e) {
            throw new LoadException("warm-up prediction failed: " + Throwables.rootMessage(e), e);
        }
    }

    /** Waits until every worker of every pool has run its warm-up on its own thread. */
    private static void awaitWarmUp(List<WorkerPool> pools) throws LoadException {
        try {
            CompletableFuture.allOf(pools.stream().map(WorkerPool::warmedUp).toArray(CompletableFuture[]::new))
                    .get(WARMUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new LoadException("warm-up on the workers failed: " + Throwables.rootMessage(e.getCause()), e);
        } catch (TimeoutException e) {
            throw new LoadException("the workers' warm-up did not finish within " + WARMUP_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadException("interrupted while the workers warmed up", e);
        }
    }

    private static NDList zeros(NDManager manager, Signature signature, long batch) {
        NDList list = new NDList();
        for (TensorSpec input : signature.inputs()) {
            NDArray zeros = manager.zeros(new Shape(WarmUp.shape(input, batch)), input.dtype());
            zeros.setName(input.name());
            list.add(zeros);
        }
        return list;
    }

    private static List<TensorSpec> outputSpecs(Signature signature, NDList produced) throws LoadException {
        List<TensorSpec> declared = signature.outputs();
        if (!declared.isEmpty() && declared.size() != produced.size()) {
            throw new LoadException(
                    "the model returned " + produced.size() + " outputs but its signature declares " + declared.size());
        }
        List<TensorSpec> specs = new ArrayList<>();
        for (int i = 0; i < produced.size(); i++) {
            NDArray array = produced.get(i);
            TensorSpec known = declared.isEmpty() ? null : declared.get(i);
            long[] shape = known != null && known.hasShape()
                    ? known.shape()
                    : array.getShape().getShape();
            if (known == null || !known.hasShape()) {
                if (shape.length > 0) {
                    shape[0] = -1;
                }
            }
            String name = known != null
                    ? known.name()
                    : array.getName() != null && !array.getName().isEmpty() ? array.getName() : "output_" + i;
            specs.add(new TensorSpec(name, array.getDataType(), shape));
        }
        return specs;
    }

    private BatchPolicy batchPolicy(Manifest manifest) {
        Manifest.Batching b = manifest.batching();
        int size = b != null && b.maxBatchSize() != null ? b.maxBatchSize() : runtime.maxBatchSize();
        Duration delay = b != null && b.maxDelayMs() != null ? Duration.ofMillis(b.maxDelayMs()) : runtime.maxDelay();
        int capacity = b != null && b.queueCapacity() != null ? b.queueCapacity() : runtime.queueCapacity();
        return new BatchPolicy(size, delay, capacity);
    }
}
