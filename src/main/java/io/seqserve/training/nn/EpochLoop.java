package io.seqserve.training.nn;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The training loop: Adam on the network's loss over shuffled mini-batches, validation after every
 * epoch, early stopping on the validation loss, the parameters of the best epoch kept. It reports each
 * epoch and its checkpoint to a {@link Control}, and stops between two batches when the job is
 * cancelled or the server shuts down (after handing over a checkpoint of exactly where it is).
 *
 * <p>Deterministic for a seed: the engine's generator (parameter initialisation, dropout) is seeded and
 * every epoch's order comes from its own {@link Random}, so a resumed epoch continues the same order.
 */
public final class EpochLoop {

    public static final String ENGINE = "PyTorch";
    /** Seeding the engine's global generator and drawing the initial parameters happen together. */
    private static final Object SEED_LOCK = new Object();
    /** Validation needs no gradients, so it runs in large batches. */
    private static final int VALIDATION_BATCH = 2048;

    private EpochLoop() {}

    /** What the loop reports to, and asks of, the job that runs it. */
    public interface Control {
        boolean cancelled();

        boolean stopping();

        /** After each epoch, with the checkpoint to keep (also called once when stopping mid-epoch). */
        void epoch(EpochStats stats, int epochs, State checkpoint);

        void stopped(State checkpoint);
    }

    /** Why the loop ended early: cancelled by the user, or stopped to resume later. */
    public static final class Interrupted extends RuntimeException {
        private final boolean cancelled;

        public Interrupted(boolean cancelled) {
            super(cancelled ? "cancelled" : "stopped for shutdown");
            this.cancelled = cancelled;
        }

        /** True when the user cancelled; false when the server stopped and the job resumes later. */
        public boolean cancelled() {
            return cancelled;
        }
    }

    /** One fit: the network, its optimiser settings, how long to train, and the examples. */
    public record Spec(
            Network network,
            int batchSize,
            double learningRate,
            int epochs,
            int patience,
            long seed,
            Samples train,
            Samples val,
            Device device) {}

    /**
     * Where training is: {@code epoch} epochs done and {@code batch} batches of the next one (with their
     * summed loss, example count and time), the current and best parameters and the history so far.
     */
    public record State(
            int epoch,
            int batch,
            double partialLoss,
            long partialSamples,
            long partialNanos,
            byte[] params,
            byte[] best,
            List<EpochStats> history,
            double bestValLoss,
            int bestEpoch,
            int badEpochs) {}

    /** The outcome: the best epoch's parameters (DJL block format) and the full history. */
    public record Fitted(byte[] bestParams, List<EpochStats> history, int bestEpoch, double bestValLoss) {}

    public static Fitted fit(Spec spec, Control control, State resume) {
        try (Model model = Model.newInstance("model", spec.device(), ENGINE)) {
            Block block = spec.network().newBlock();
            model.setBlock(block);
            Shape[] shapes = spec.network().inputShapes(spec.batchSize());
            synchronized (SEED_LOCK) {
                Engine.getEngine(ENGINE).setRandomSeed((int) spec.seed());
                if (resume == null) {
                    block.initialize(model.getNDManager(), DataType.FLOAT32, shapes);
                } else {
                    BlockParams.load(block, model.getNDManager(), resume.params());
                }
            }
            DefaultTrainingConfig config = new DefaultTrainingConfig(
                            spec.network().loss())
                    .optOptimizer(Optimizer.adam()
                            .optLearningRateTracker(Tracker.fixed((float) spec.learningRate()))
                            .build())
                    .optDevices(new Device[] {spec.device()});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(shapes);
                return new Run(spec, control, trainer, block).from(resume);
            }
        }
    }

    /** The loop's mutable state for one fit. */
    private static final class Run {
        private final Spec spec;
        private final Control control;
        private final Trainer trainer;
        private final Block block;
        private final List<EpochStats> history = new ArrayList<>();
        private byte[] best;
        private double bestValLoss = Double.POSITIVE_INFINITY;
        private int bestEpoch;
        private int badEpochs;

        Run(Spec spec, Control control, Trainer trainer, Block block) {
            this.spec = spec;
            this.control = control;
            this.trainer = trainer;
            this.block = block;
        }

        Fitted from(State resume) {
            int epoch = 0;
            int batch = 0;
            double loss = 0;
            long samples = 0;
            long nanos = 0;
            if (resume != null) {
                history.addAll(resume.history());
                best = resume.best();
                bestValLoss = resume.bestValLoss();
                bestEpoch = resume.bestEpoch();
                badEpochs = resume.badEpochs();
                epoch = resume.epoch();
                batch = resume.batch();
                loss = resume.partialLoss();
                samples = resume.partialSamples();
                nanos = resume.partialNanos();
            }
            int patience = spec.patience();
            for (; epoch < spec.epochs() && !(patience > 0 && badEpochs >= patience); epoch++) {
                runEpoch(epoch, batch, loss, samples, nanos);
                batch = 0;
                loss = 0;
                samples = 0;
                nanos = 0;
            }
            return new Fitted(best, List.copyOf(history), bestEpoch, bestValLoss);
        }

        private void runEpoch(int epoch, int firstBatch, double lossSum, long samples, long nanosBefore) {
            long start = System.nanoTime() - nanosBefore;
            int size = spec.batchSize();
            int n = spec.train().size();
            int[] order = order(n, spec.seed(), epoch);
            int batches = (n + size - 1) / size;
            NDManager root = trainer.getManager();
            for (int b = firstBatch; b < batches; b++) {
                if (control.cancelled()) {
                    throw new Interrupted(true);
                }
                if (control.stopping()) {
                    control.stopped(state(epoch, b, lossSum, samples, System.nanoTime() - start));
                    throw new Interrupted(false);
                }
                int from = b * size;
                int to = Math.min(n, from + size);
                try (NDManager manager = root.newSubManager()) {
                    NDList batch = spec.train().batch(manager, order, from, to);
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDList predictions = trainer.forward(spec.network().inputs(batch.get(0)));
                        NDArray loss = trainer.getLoss().evaluate(new NDList(batch.get(1)), predictions);
                        collector.backward(loss);
                        lossSum += loss.getFloat() * (to - from);
                    }
                    trainer.step();
                }
                samples += to - from;
            }
            double trainLoss = lossSum / Math.max(1, samples);
            if (!Double.isFinite(trainLoss)) {
                throw new IllegalStateException(
                        "training diverged (the loss is " + trainLoss + "); try a lower learning rate");
            }
            double valLoss = validate();
            byte[] params = BlockParams.save(block);
            if (valLoss < bestValLoss) {
                bestValLoss = valLoss;
                bestEpoch = epoch + 1;
                best = params;
                badEpochs = 0;
            } else {
                badEpochs++;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            EpochStats stats = new EpochStats(epoch + 1, trainLoss, valLoss, bestValLoss, samples / seconds, seconds);
            history.add(stats);
            control.epoch(
                    stats,
                    spec.epochs(),
                    new State(
                            epoch + 1,
                            0,
                            0,
                            0,
                            0,
                            params,
                            best,
                            List.copyOf(history),
                            bestValLoss,
                            bestEpoch,
                            badEpochs));
        }

        private double validate() {
            Samples val = spec.val();
            int size = Math.max(spec.batchSize(), VALIDATION_BATCH);
            double sum = 0;
            for (int from = 0; from < val.size(); from += size) {
                int to = Math.min(val.size(), from + size);
                try (NDManager manager = trainer.getManager().newSubManager()) {
                    NDList batch = val.range(manager, from, to);
                    NDList predictions = trainer.evaluate(spec.network().inputs(batch.get(0)));
                    sum += trainer.getLoss()
                                    .evaluate(new NDList(batch.get(1)), predictions)
                                    .getFloat()
                            * (to - from);
                }
            }
            return sum / val.size();
        }

        private State state(int epoch, int batch, double loss, long samples, long nanos) {
            return new State(
                    epoch,
                    batch,
                    loss,
                    samples,
                    nanos,
                    BlockParams.save(block),
                    best,
                    List.copyOf(history),
                    bestValLoss,
                    bestEpoch,
                    badEpochs);
        }
    }

    /** The example order of one epoch, the same on every run with this seed. */
    static int[] order(int n, long seed, int epoch) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(seed * 1_000_003L + epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
