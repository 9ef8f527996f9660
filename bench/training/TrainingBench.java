/*
 * Training throughput: a seqserve training job (through the HTTP API of a running server) against a
 * bare DJL training loop on the same data and architecture, in this process. Run by run.sh:
 *   java -cp <seqserve's classpath> bench/training/TrainingBench.java <server-url> <rounds> <epochs> <warm-up rounds>
 * Warm-up rounds run the same work on both sides and are not counted (both JVMs compile the loops first).
 * Data: co2.csv (weekly Mauna Loa CO2, gaps interpolated linearly), the first 70% for training and the
 * next 20% for validation, z-scored with the training part's mean and std, windows of 24 -> next value.
 * Architecture: LSTM(32), its last output through Linear(1); Adam(0.005), MSE, batch 32, shuffled.
 */
import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.L2Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

public class TrainingBench {

    static final int WINDOW = 24;
    static final int BATCH = 32;
    static final int HIDDEN = 32;
    static final float LR = 0.005f;
    static final Path CSV = Path.of("src/test/resources/shared-models/datasets/co2.csv");
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    record Data(float[] trainX, float[] trainY, int train, float[] valX, float[] valY, int val) {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int rounds = Integer.parseInt(args[1]);
        int epochs = Integer.parseInt(args[2]);
        int warmUp = Integer.parseInt(args[3]);
        System.setProperty("ai.djl.offline", "true");
        Engine.getEngine("PyTorch");
        JniUtils.setNumThreads(1);  // what seqserve.training.threads-per-job=1 (the default) gives a job
        JniUtils.setGradMode(false);
        Data data = data();
        System.out.printf("co2: %d training windows, %d validation windows, %d epochs, %d rounds%n",
                data.train(), data.val(), epochs, rounds);
        String dataset = upload(url);
        List<double[]> rows = new ArrayList<>();
        for (int r = 0; r < warmUp; r++) {
            job(url, dataset, epochs, 100 + r);
            hand(data, epochs, true, 100 + r);
            hand(data, epochs, false, 100 + r);
            easyTrain(data, epochs, 100 + r);
        }
        System.out.println("round  job(samples/s)  hand+val  hand  easytrain+val");
        for (int r = 0; r < rounds; r++) {
            double job = job(url, dataset, epochs, r);
            double handVal = hand(data, epochs, true, r);
            double hand = hand(data, epochs, false, r);
            double easy = easyTrain(data, epochs, r);
            rows.add(new double[] {job, handVal, hand, easy});
            System.out.printf("%5d  %14.0f  %8.0f  %4.0f  %13.0f%n", r + 1, job, handVal, hand, easy);
        }
        double job = median(rows, 0);
        double handVal = median(rows, 1);
        System.out.printf("median  job %.0f  hand+val %.0f  hand %.0f  easytrain+val %.0f  job/hand+val = %.1f%%%n",
                job, handVal, median(rows, 2), median(rows, 3), 100 * job / handVal);
    }

    // ---- the job, through the API -----------------------------------------------------------------

    static String upload(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/v1/datasets?name=co2"))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofFile(CSV)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body()).get("id").asString();
    }

    /** Training examples per second over all epochs of one job, from the epoch history it reports. */
    static double job(String url, String dataset, int epochs, int seed) throws Exception {
        String body = """
                {"model_name": "bench-co2-lstm", "dataset": {"id": "%s", "column": "co2"}, "window": %d,
                 "architecture": {"cell": "lstm", "hidden_size": %d},
                 "training": {"epochs": %d, "batch_size": %d, "learning_rate": %s, "early_stopping_patience": 0, "seed": %d}}
                """.formatted(dataset, WINDOW, HIDDEN, epochs, BATCH, LR, seed);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/v1/training-jobs"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        String id = JSON.readTree(r.body()).get("id").asString();
        // Wait on the job's event stream (one event per epoch) rather than polling the server while it trains.
        HTTP.send(HttpRequest.newBuilder(URI.create(url + "/v1/training-jobs/" + id + "/events")).build(),
                HttpResponse.BodyHandlers.ofLines()).body().forEach(line -> { });
        JsonNode job = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(url + "/v1/training-jobs/" + id)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        if (!job.get("status").asString().equals("succeeded")) {
            throw new IllegalStateException(job.toString());
        }
        double samples = 0;
        double seconds = 0;
        for (JsonNode epoch : job.get("history")) {
            samples += epoch.get("samples_per_second").asDouble() * epoch.get("duration_seconds").asDouble();
            seconds += epoch.get("duration_seconds").asDouble();
        }
        return samples / seconds;
    }

    // ---- bare DJL loops ------------------------------------------------------------------------------

    static Block block() {
        return new SequentialBlock()
                .add(LSTM.builder().setStateSize(HIDDEN).setNumLayers(1).optBatchFirst(true).build())
                .add(x -> new NDList(x.head().get(new NDIndex(":, -1, :"))))
                .add(Linear.builder().setUnits(1).build());
    }

    static DefaultTrainingConfig config() {
        return new DefaultTrainingConfig(new L2Loss("mse", 1))
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(LR)).build());
    }

    /** The textbook loop: shuffle, slice a batch, forward, loss, backward, step (and validate each epoch). */
    static double hand(Data d, int epochs, boolean validate, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        try (Model model = Model.newInstance("bare", Device.cpu(), "PyTorch")) {
            model.setBlock(block());
            try (Trainer trainer = model.newTrainer(config())) {
                trainer.initialize(new Shape(BATCH, WINDOW, 1));
                Random random = new Random(seed);
                long start = System.nanoTime();
                for (int e = 0; e < epochs; e++) {
                    int[] order = shuffled(d.train(), random);
                    for (int from = 0; from < d.train(); from += BATCH) {
                        int n = Math.min(BATCH, d.train() - from);
                        try (NDManager m = trainer.getManager().newSubManager()) {
                            float[] x = new float[n * WINDOW];
                            float[] y = new float[n];
                            for (int i = 0; i < n; i++) {
                                System.arraycopy(d.trainX(), order[from + i] * WINDOW, x, i * WINDOW, WINDOW);
                                y[i] = d.trainY()[order[from + i]];
                            }
                            NDArray xs = m.create(x, new Shape(n, WINDOW, 1));
                            NDArray ys = m.create(y, new Shape(n, 1));
                            try (GradientCollector collector = trainer.newGradientCollector()) {
                                NDArray loss = trainer.getLoss().evaluate(new NDList(ys), trainer.forward(new NDList(xs)));
                                collector.backward(loss);
                                loss.getFloat();
                            }
                            trainer.step();
                        }
                    }
                    if (validate) {
                        try (NDManager m = trainer.getManager().newSubManager()) {
                            NDList out = trainer.evaluate(new NDList(m.create(d.valX(), new Shape(d.val(), WINDOW, 1))));
                            trainer.getLoss().evaluate(new NDList(m.create(d.valY(), new Shape(d.val(), 1))), out).getFloat();
                        }
                    }
                }
                return (double) d.train() * epochs / ((System.nanoTime() - start) / 1e9);
            }
        }
    }

    /** DJL's own loop: ArrayDataset with a shuffling sampler, EasyTrain.fit with validation. */
    static double easyTrain(Data d, int epochs, int seed) throws Exception {
        Engine.getInstance().setRandomSeed(seed);
        try (Model model = Model.newInstance("easy", Device.cpu(), "PyTorch"); NDManager m = model.getNDManager().newSubManager()) {
            model.setBlock(block());
            ArrayDataset train = new ArrayDataset.Builder().setData(m.create(d.trainX(), new Shape(d.train(), WINDOW, 1)))
                    .optLabels(m.create(d.trainY(), new Shape(d.train(), 1))).setSampling(BATCH, true).build();
            ArrayDataset val = new ArrayDataset.Builder().setData(m.create(d.valX(), new Shape(d.val(), WINDOW, 1)))
                    .optLabels(m.create(d.valY(), new Shape(d.val(), 1))).setSampling(256, false).build();
            try (Trainer trainer = model.newTrainer(config())) {
                trainer.initialize(new Shape(BATCH, WINDOW, 1));
                long start = System.nanoTime();
                EasyTrain.fit(trainer, epochs, train, val);
                return (double) d.train() * epochs / ((System.nanoTime() - start) / 1e9);
            }
        }
    }

    // ---- data, prepared as a seqserve forecasting job prepares it ------------------------------------

    static Data data() throws Exception {
        List<String> lines = Files.readAllLines(CSV);
        double[] v = new double[lines.size() - 1];
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",", -1);
            v[i - 1] = f.length < 2 || f[1].isBlank() ? Double.NaN : Double.parseDouble(f[1]);
        }
        interpolate(v);
        int length = v.length;
        int valEnd = length - (int) Math.round(length * 0.1);
        int trainEnd = valEnd - (int) Math.round(length * 0.2);
        double mean = Arrays.stream(v, 0, trainEnd).average().orElseThrow();
        double std = Math.sqrt(Arrays.stream(v, 0, trainEnd).map(x -> (x - mean) * (x - mean)).sum() / trainEnd);
        int train = trainEnd - WINDOW;
        int val = valEnd - trainEnd;
        float[][] tx = windows(v, mean, std, WINDOW, train);
        float[][] vx = windows(v, mean, std, trainEnd, val);
        return new Data(tx[0], tx[1], train, vx[0], vx[1], val);
    }

    static float[][] windows(double[] v, double mean, double std, int first, int n) {
        float[] x = new float[n * WINDOW];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int t = first + i;
            for (int s = 0; s < WINDOW; s++) {
                x[i * WINDOW + s] = (float) ((v[t - WINDOW + s] - mean) / std);
            }
            y[i] = (float) ((v[t] - mean) / std);
        }
        return new float[][] {x, y};
    }

    static void interpolate(double[] v) {
        int previous = -1;
        for (int t = 0; t < v.length; t++) {
            if (Double.isNaN(v[t])) {
                continue;
            }
            if (previous == -1) {
                Arrays.fill(v, 0, t, v[t]);
            } else {
                for (int g = previous + 1; g < t; g++) {
                    v[g] = v[previous] + (v[t] - v[previous]) * (g - previous) / (t - previous);
                }
            }
            previous = t;
        }
        Arrays.fill(v, previous + 1, v.length, v[previous]);
    }

    static int[] shuffled(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    static double median(List<double[]> rows, int column) {
        double[] values = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return values[values.length / 2];
    }
}
