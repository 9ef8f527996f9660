package io.seqserve.runtime;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import io.seqserve.Failure;
import io.seqserve.Throwables;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker's forward passes: drop the requests whose deadline passed, stack the rest, predict, split
 * the outputs back per request and complete their futures. Owned by one worker thread with its predictor.
 */
final class BatchExecution {

    private static final Logger log = LoggerFactory.getLogger(BatchExecution.class);

    private final String label;
    private final Predictor<NDList, NDList> predictor;
    private final ZooModel<NDList, NDList> model;
    private final Device device;
    private final List<String> inputNames;
    private final PoolMeters meters;

    BatchExecution(
            String label,
            Predictor<NDList, NDList> predictor,
            ZooModel<NDList, NDList> model,
            Device device,
            List<String> inputNames,
            PoolMeters meters) {
        this.label = label;
        this.predictor = predictor;
        this.model = model;
        this.device = device;
        this.inputNames = inputNames;
        this.meters = meters;
    }

    /**
     * Runs a batch and completes every request's future: {@code DEADLINE} when it waited too long, the
     * {@link Failure} a pass raised, else {@code ENGINE} for whatever the engine threw (validation accepted
     * these inputs, so an out-of-memory or native error is not the callers' fault). The worker lives on
     * after a failed pass (an out-of-memory batch is dropped with its memory); any other Error stops it.
     */
    void run(List<InferenceJob> batch) {
        long now = System.nanoTime();
        List<InferenceJob> live = new ArrayList<>(batch.size());
        for (InferenceJob job : batch) {
            if (job.expired(now)) {
                meters.expired();
                job.result.completeExceptionally(Failure.deadline("deadline passed after "
                        + (now - job.enqueuedNanos) / 1_000_000 + " ms in the queue of " + label));
            } else {
                meters.queueWait(now - job.enqueuedNanos);
                live.add(job);
            }
        }
        if (live.isEmpty()) {
            return;
        }
        try {
            List<List<HostTensor>> outputs = pass(live);
            meters.batch(live.size(), System.nanoTime() - now);
            for (int i = 0; i < live.size(); i++) {
                live.get(i).result.complete(outputs.get(i));
            }
        } catch (Failure e) {
            failAll(live, e);
        } catch (RuntimeException | Error e) {
            log.warn("{}: forward pass of {} request(s) failed: {}", label, live.size(), Throwables.rootMessage(e));
            failAll(live, Failure.engine("model version " + label + " failed to run: " + Throwables.rootMessage(e), e));
            if (e instanceof Error error && !(error instanceof OutOfMemoryError)) {
                throw error;
            }
        }
    }

    /** One pass outside the meters and futures (the warm-up); throws what the pass throws. */
    List<List<HostTensor>> pass(List<InferenceJob> jobs) {
        List<HostTensor> outputs;
        try (NDManager manager = model.getNDManager().newSubManager(device)) {
            NDList inputs = new NDList(inputNames.size());
            for (int i = 0; i < inputNames.size(); i++) {
                List<HostTensor> parts = new ArrayList<>(jobs.size());
                for (InferenceJob job : jobs) {
                    parts.add(job.inputs.get(i));
                }
                inputs.add(HostTensor.concat(parts).toNDArray(manager, inputNames.get(i)));
            }
            NDList result = predictor.predict(inputs);
            outputs = new ArrayList<>(result.size());
            for (NDArray array : result) {
                outputs.add(HostTensor.fromNDArray(array));
            }
            result.close();
        } catch (TranslateException e) {
            throw Failure.engine("the forward pass failed: " + Throwables.rootMessage(e), e);
        }
        return jobs.size() == 1 ? List.of(outputs) : split(outputs, jobs);
    }

    static void failAll(List<InferenceJob> jobs, Throwable error) {
        jobs.forEach(job -> job.result.completeExceptionally(error));
    }

    private static List<List<HostTensor>> split(List<HostTensor> outputs, List<InferenceJob> jobs) {
        long total = 0;
        for (InferenceJob job : jobs) {
            total += job.rows;
        }
        for (HostTensor output : outputs) {
            if (output.rank() == 0 || output.dim(0) != total) {
                throw Failure.internal(
                        "an output does not have one row per input row; disable batching for this model");
            }
        }
        List<List<HostTensor>> perJob = new ArrayList<>(jobs.size());
        long row = 0;
        for (InferenceJob job : jobs) {
            List<HostTensor> mine = new ArrayList<>(outputs.size());
            for (HostTensor output : outputs) {
                mine.add(output.rows(row, job.rows));
            }
            perJob.add(mine);
            row += job.rows;
        }
        return perJob;
    }
}
