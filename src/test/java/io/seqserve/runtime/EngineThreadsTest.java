package io.seqserve.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.seqserve.testing.EngineTest;
import io.seqserve.testing.TestEngines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A probe of what OpenMP does per thread, counted in the process's native threads: libgomp starts the
 * extra members of a thread's team as native threads that inherit the starting thread's name. A worker
 * thread must run PyTorch passes on a team of one (the configured intra-op count) without any
 * {@code OMP_NUM_THREADS} in the environment, even when the process-wide value is larger; a plain thread
 * that asks for a team of two, as a control, shows that the count is visible. The surefire run has no {@code OMP_NUM_THREADS} (pom.xml), as a plain {@code java -jar}.
 */
@EngineTest
class EngineThreadsTest {

    @BeforeAll
    static void engines() {
        TestEngines.prepare();
        Engine.getEngine("PyTorch");
    }

    @Test
    void aWorkerRunsPyTorchPassesOnATeamOfOneWhateverLibgompsDefault() throws Exception {
        // PyTorch also keeps the last at::set_num_threads value process-wide and applies it to a thread at
        // its first parallel region; whichever test ran a worker before this one left 1 there. The control
        // asks for a team of two itself, which also makes two the value a thread that does not set its own
        // (a worker without EngineThreads) inherits, whatever ran before in this JVM.
        int control = threadsAfterPasses("omp-control", () -> {
            JniUtils.setNumThreads(2);
            try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
                parallelWork(manager.ones(new Shape(512, 512)));
            }
        });
        assumeThat(control)
                .as("the control's team of two started no second thread: nothing to compare with")
                .isGreaterThan(1);

        Model m = Model.newInstance("omp-probe", Device.cpu(), "PyTorch");
        m.setBlock(new LambdaBlock(inputs -> new NDList(parallelWork(inputs.head()))));
        try (ZooModel<NDList, NDList> model = new ZooModel<>(m, new NoopTranslator());
                WorkerPool pool = new WorkerPool(
                        "omp-probe",
                        model,
                        Device.cpu(),
                        List.of("x"),
                        new BatchPolicy(1, Duration.ZERO, 4),
                        1,
                        new PoolMeters(new SimpleMeterRegistry(), "omp-probe", "1", "cpu"))) {
            float[] ones = new float[512 * 512];
            java.util.Arrays.fill(ones, 1f);
            for (int i = 0; i < 3; i++) {
                pool.submit(List.of(HostTensor.ofFloats(new long[] {512, 512}, ones)), Duration.ofSeconds(30))
                        .get();
            }
            assertThat(nativeThreadsNamed("worker-omp-probe"))
                    .as(
                            "the worker alone: no OpenMP team members started by it (the control started %d threads)",
                            control)
                    .isEqualTo(1);
        } finally {
            JniUtils.setNumThreads(EngineThreads.pyTorchIntraOp()); // the process-wide value the server sets
        }
    }

    /** Work PyTorch spreads over its intra-op team: a matrix product and an element-wise pass. */
    private static NDArray parallelWork(NDArray x) {
        return x.matMul(x).exp().sum(new int[] {1}, true).div(1e6f);
    }

    /**
     * Runs {@code work} on a fresh thread called {@code name} and, before that thread ends (libgomp ends a
     * thread's team with it), counts the native threads of that name: itself and its team's members.
     */
    private static int threadsAfterPasses(String name, Runnable work) throws Exception {
        int[] count = {-1};
        Thread thread = new Thread(
                () -> {
                    for (int i = 0; i < 3; i++) {
                        work.run();
                    }
                    try {
                        count[0] = nativeThreadsNamed(name);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                },
                name);
        thread.start();
        thread.join();
        return count[0];
    }

    /** Native threads of this process whose name starts like {@code javaName} (Linux keeps 15 characters). */
    private static int nativeThreadsNamed(String javaName) throws IOException {
        String comm = javaName.length() > 15 ? javaName.substring(0, 15) : javaName;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return (int) tasks.filter(task -> {
                        try {
                            return Files.readString(task.resolve("comm"))
                                    .strip()
                                    .equals(comm);
                        } catch (IOException e) {
                            return false; // the thread ended while listing
                        }
                    })
                    .count();
        }
    }
}
