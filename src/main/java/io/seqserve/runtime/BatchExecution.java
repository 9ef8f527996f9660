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

/** One forward pass for a batch: stack the inputs, predict, split the outputs back per request. */
final class BatchExecution {

    private BatchExecution() {}

    static List<List<HostTensor>> run(
            Predictor<NDList, NDList> predictor,
            ZooModel<NDList, NDList> model,
            Device device,
            List<String> inputNames,
            List<InferenceJob> jobs) {
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
