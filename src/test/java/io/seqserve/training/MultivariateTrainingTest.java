package io.seqserve.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Forecasters of several variables trained through the API and served at once: a synthetic series whose known
 * covariate effect the model must recover, real data (R's airquality) where a future covariate must help, two
 * targets with a calendar covariate (R's Seatbelts) forecast 24 steps with intervals for both, and one global
 * model over two series (R's UK lung deaths).
 */
class MultivariateTrainingTest extends TrainingHttpTest {

    static final Path MULTIVARIATE = Path.of("src/test/resources/datasets");

    private String upload(String name, String csv) throws Exception {
        HttpResponse<String> r = send("POST", "/v1/datasets?name=" + name, "text/csv", csv);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r).get("id").asString();
    }

    private String uploadShipped(String file) throws Exception {
        return upload(file, Files.readString(MULTIVARIATE.resolve(file)));
    }

    /** y = 20 + 4 sin(2 pi t / 12) + 3 promo + noise; promo (0/1, 30 % of days) is known ahead: a future covariate. */
    static String promotions(int n, long seed) {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder("day,sales,promo\n");
        for (int t = 0; t < n; t++) {
            int promo = random.nextDouble() < 0.3 ? 1 : 0;
            double sales = 20 + 4 * Math.sin(2 * Math.PI * t / 12) + 3 * promo + 0.3 * random.nextGaussian();
            csv.append(t)
                    .append(',')
                    .append(String.format(Locale.ROOT, "%.4f", sales))
                    .append(',')
                    .append(promo)
                    .append('\n');
        }
        return csv.toString();
    }

    private static final String PROMO_JOB = """
            {"model_name": "%s", "dataset": {"id": "%s", "targets": ["sales"]%s}, "window": 12, "season": 12,
             "architecture": {"cell": "gru", "hidden_size": 16},
             "training": {"epochs": 40, "batch_size": 32, "learning_rate": 0.01, "early_stopping_patience": 10, "seed": 1}}
            """;

    @Test
    void aFutureCovariatesKnownEffectIsRecoveredAndBeatsTheSameModelWithoutIt() throws Exception {
        String ds = upload("promotions", promotions(400, 7));
        JsonNode with = succeeded(submit(PROMO_JOB.formatted("tr-promo", ds, ", \"future_covariates\": [\"promo\"]")));
        JsonNode without = succeeded(submit(PROMO_JOB.formatted("tr-promo-none", ds, "")));
        double withRmse = with.at("/result/metrics/test_rmse").asDouble();
        double withoutRmse = without.at("/result/metrics/test_rmse").asDouble();
        System.out.printf("promo: with %s without %s%n", with.at("/result/metrics"), without.at("/result/metrics"));
        assertThat(withRmse).isLessThan(0.6 * withoutRmse);
        assertThat(withRmse)
                .isLessThan(with.at("/result/metrics/seasonal_naive_rmse").asDouble());

        JsonNode forecasting = json(get("/v1/models/tr-promo")).at("/manifest/forecasting");
        assertThat(forecasting.at("/targets/0/name").asString()).isEqualTo("sales");
        assertThat(forecasting.at("/future_covariates/0/name").asString()).isEqualTo("promo");
        assertThat(forecasting.get("future_lead").asInt()).isEqualTo(1);
        // The effect: the same history with and without a promotion on the forecast day differs by about 3.
        String history = promotions(400, 7)
                .lines()
                .skip(389)
                .map(l -> {
                    String[] f = l.split(",");
                    return "[" + f[1] + "," + f[2] + "]";
                })
                .reduce((a, b) -> a + "," + b)
                .orElseThrow();
        double on = forecast("tr-promo", "[" + history + "]", "[1]");
        double off = forecast("tr-promo", "[" + history + "]", "[0]");
        System.out.printf("promo effect: %.3f%n", on - off);
        assertThat(on - off).isCloseTo(3, within(1.0));
    }

    private static final String OZONE_JOB = """
            {"model_name": "%s", "dataset": {"id": "%s", "targets": ["Ozone"]%s}, "window": 7, "season": 7,
             "architecture": {"cell": "gru", "hidden_size": 16},
             "training": {"epochs": 60, "batch_size": 16, "learning_rate": 0.01, "early_stopping_patience": 15,
                          "validation_fraction": 0.15, "test_fraction": 0.15, "seed": 3}}
            """;

    /** Ozone forms in heat and still air: with the day's temperature and wind known (a forecast), it is forecast better. */
    @Test
    void onAirqualityOzoneIsForecastBetterWithTheDaysTemperatureAndWindThanWithout() throws Exception {
        String ds = uploadShipped("airquality.csv");
        JsonNode with =
                succeeded(submit(OZONE_JOB.formatted("tr-ozone", ds, ", \"future_covariates\": [\"Temp\", \"Wind\"]")));
        JsonNode without = succeeded(submit(OZONE_JOB.formatted("tr-ozone-alone", ds, "")));
        System.out.printf(
                "ozone: with %s without %s%n",
                with.at("/result/metrics/targets"), without.at("/result/metrics/targets"));
        // One step ahead, and over the 12 steps a forecast rolls forward (where the gap widens: without the weather the
        // model only has its own forecasts to go on).
        assertThat(with.at("/result/metrics/test_rmse").asDouble())
                .isLessThan(without.at("/result/metrics/test_rmse").asDouble());
        assertThat(with.at("/result/metrics/targets/Ozone/over_steps/test_rmse").asDouble())
                .isLessThan(0.8
                        * without.at("/result/metrics/targets/Ozone/over_steps/test_rmse")
                                .asDouble());
        // Ozone misses 37 of 153 values: filled for training, counted as filled in.
        assertThat(with.at("/result/splits/train/real").asLong())
                .isLessThan(with.at("/result/splits/train/values").asLong());
    }

    /** The README's example: two targets, a calendar covariate, intervals for 24 days ahead. */
    static final String NEWCOMER_JOB = """
            {"model_name": "%s", "dataset": {"id": "%s", "targets": ["Ozone", "Temp"], "time_column": "date"},
             "calendar": ["day_of_week"], "window": 7, "season": 7, "evaluation_horizon": 24,
             "architecture": {"cell": "lstm", "hidden_size": 16},
             "training": {"epochs": 80, "batch_size": 16, "learning_rate": 0.01, "early_stopping_patience": 20,
                          "validation_fraction": 0.2, "test_fraction": 0.2, "seed": 0}}
            """;

    @Test
    void twoTargetsWithACalendarCovariateBeatSeasonalNaiveAndForecast24DaysWithIntervalsForBoth() throws Exception {
        String ds = uploadShipped("airquality.csv");
        JsonNode job = succeeded(submit(NEWCOMER_JOB.formatted("tr-airquality", ds)));
        for (String target : List.of("Ozone", "Temp")) {
            JsonNode over = job.at("/result/metrics/targets/" + target + "/over_steps");
            System.out.printf("newcomer %s: %s%n", target, over);
            assertThat(over.get("steps").asInt()).isEqualTo(24);
            assertThat(over.get("test_rmse").asDouble())
                    .as(target)
                    .isLessThan(over.get("seasonal_naive_rmse").asDouble());
        }
        JsonNode forecasting = json(get("/v1/models/tr-airquality")).at("/manifest/forecasting");
        assertThat(forecasting.get("calendar").toString()).isEqualTo("[\"day_of_week\"]");
        assertThat(forecasting.get("frequency").asString()).isEqualTo("day");
        assertThat(forecasting.at("/targets/1/residuals").propertyNames()).hasSize(24);

        // The last 14 days of the data, forecast 24 days on, with intervals for both targets.
        List<String> lines = Files.readAllLines(MULTIVARIATE.resolve("airquality.csv"));
        StringBuilder values = new StringBuilder();
        for (String line : lines.subList(lines.size() - 14, lines.size())) {
            String[] f = line.split(",", -1);
            values.append(values.isEmpty() ? "" : ",")
                    .append("[")
                    .append(f[1].isEmpty() ? "null" : f[1])
                    .append(",")
                    .append(f[4])
                    .append("]");
        }
        HttpResponse<String> r = post(
                "/v1/models/tr-airquality:forecast",
                "{\"series\": [{\"id\": \"nyc\", \"start\": \""
                        + lines.get(lines.size() - 14).split(",")[0] + "\", \"values\": [" + values
                        + "]}], \"horizon\": 24, \"level\": [80]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode answer = json(r);
        assertThat(answer.has("warnings")).as(r.body()).isFalse();
        for (int j = 0; j < 2; j++) {
            JsonNode f = answer.at("/forecasts/" + j);
            assertThat(f.get("target").asString()).isEqualTo(j == 0 ? "Ozone" : "Temp");
            assertThat(f.get("mean").size()).isEqualTo(24);
            JsonNode band = f.at("/intervals/80");
            assertThat(band.at("/lower/23").asDouble())
                    .isLessThan(f.at("/mean/23").asDouble());
            assertThat(band.at("/upper/23").asDouble())
                    .isGreaterThan(f.at("/mean/23").asDouble());
        }
    }

    @Test
    void oneGlobalModelLearnsManySeriesOfALongTableToldApartByTheirIds() throws Exception {
        String ds = uploadShipped("ukdeaths_long.csv");
        JsonNode job = succeeded(submit("""
                {"model_name": "tr-ukdeaths-global", "dataset": {"id": "%s", "targets": ["deaths"],
                 "time_column": "month", "id_column": "sex"}, "calendar": ["month"], "id_features": true,
                 "window": 12, "season": 12, "architecture": {"cell": "gru", "hidden_size": 16},
                 "training": {"epochs": 60, "learning_rate": 0.01, "batch_size": 16, "early_stopping_patience": 15,
                              "validation_fraction": 0.15, "test_fraction": 0.15, "seed": 0}}
                """.formatted(ds)));
        JsonNode metrics = job.at("/result/metrics");
        System.out.printf("global: %s%n", metrics.at("/targets/deaths/over_steps"));
        // Two series of 72 months: every part counts both.
        assertThat(job.at("/result/splits/test/steps").asInt()).isEqualTo(2 * 11);
        assertThat(metrics.get("test_rmse").asDouble())
                .isLessThan(metrics.get("naive_rmse").asDouble());
        JsonNode forecasting = json(get("/v1/models/tr-ukdeaths-global")).at("/manifest/forecasting");
        assertThat(forecasting.get("series_ids").toString()).isEqualTo("[\"male\",\"female\"]");
        assertThat(json(get("/v1/models/tr-ukdeaths-global"))
                        .at("/inputs/0/shape")
                        .toString())
                .isEqualTo("[-1,12,5]");
        double[] male = {2134, 1863, 1877, 1877, 1492, 1249, 1280, 1131, 1209, 1492, 1621, 1846};
        double[] female = {901, 689, 827, 677, 522, 406, 441, 393, 387, 582, 578, 666};
        HttpResponse<String> r = post(
                "/v1/models/tr-ukdeaths-global:forecast",
                JSON.writeValueAsString(java.util.Map.of(
                        "series",
                        List.of(
                                java.util.Map.of("id", "male", "start", "1974-01", "values", male),
                                java.util.Map.of("id", "female", "start", "1974-01", "values", female)),
                        "horizon",
                        3)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        // The two series differ by a factor of about 2.5: the ids tell the model which one it forecasts.
        double m = json(r).at("/forecasts/0/mean/0").asDouble();
        double f = json(r).at("/forecasts/1/mean/0").asDouble();
        assertThat(m).isGreaterThan(1.5 * f);
    }

    @Test
    void aDirectMultiHorizonModelOfTwoTargetsWithLossWeights() throws Exception {
        String ds = uploadShipped("interest_inflation.csv");
        JsonNode job = succeeded(submit("""
                {"model_name": "tr-inflation-mimo", "dataset": {"id": "%s", "targets": ["Dp", "R"],
                 "time_column": "quarter"}, "calendar": ["quarter"], "loss_weights": [2, 1], "horizon": 4,
                 "window": 8, "season": 4, "architecture": {"cell": "lstm", "hidden_size": 16},
                 "training": {"epochs": 30, "learning_rate": 0.01, "batch_size": 16, "seed": 0}}
                """.formatted(ds)));
        JsonNode version = json(get("/v1/models/tr-inflation-mimo"));
        assertThat(version.at("/outputs/0/shape").toString()).isEqualTo("[-1,4,2]");
        JsonNode forecasting = version.at("/manifest/forecasting");
        assertThat(forecasting.get("output").asString()).isEqualTo("multi_horizon");
        assertThat(forecasting.get("horizon").asInt()).isEqualTo(4);
        assertThat(forecasting.get("future_lead").asInt()).isEqualTo(4);
        assertThat(forecasting.get("frequency").asString()).isEqualTo("quarter");
        assertThat(forecasting.at("/targets/0/residuals").propertyNames()).containsExactly("1", "2", "3", "4");
        assertThat(version.at("/manifest/architecture/loss_weights").toString()).isEqualTo("[2.0,1.0]");
        assertThat(job.at("/result/metrics/targets/R/steps").size()).isEqualTo(4);
        HttpResponse<String> r = post(
                "/v1/models/tr-inflation-mimo:forecast",
                "{\"series\": [{\"start\": \"1996Q1\", \"values\": [" + "[0.01, 0.06],".repeat(7)
                        + "[0.01, 0.06]]}], \"horizon\": 4, \"level\": [80]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).at("/forecasts/1/target").asString()).isEqualTo("R");
        assertThat(json(r).at("/forecasts/1/mean").size()).isEqualTo(4);
    }

    /** what | dataset fields | more fields | status | field. */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(
            delimiter = '|',
            value = {
                "targets and column|\"targets\": [\"Ozone\"], \"column\": \"Ozone\"||400|dataset",
                "no targets|\"future_covariates\": [\"Temp\"]||400|dataset.targets",
                "calendar without a time column|\"targets\": [\"Ozone\"]|, \"calendar\": [\"month\"]|400|calendar",
                "an unknown calendar feature|\"targets\": [\"Ozone\"], \"time_column\": \"date\"|, \"calendar\": [\"season\"]|400|calendar[0]",
                "a bad frequency|\"targets\": [\"Ozone\"], \"time_column\": \"date\"|, \"calendar\": [\"month\"], \"frequency\": \"fortnight\"|400|frequency",
                "loss weights for another number of targets|\"targets\": [\"Ozone\", \"Temp\"]|, \"loss_weights\": [1]|400|loss_weights",
                "a negative loss weight|\"targets\": [\"Ozone\"]|, \"loss_weights\": [-1]|400|loss_weights[0]",
                "id features without an id column|\"targets\": [\"Ozone\"]|, \"id_features\": true|400|id_features",
                "calendar with the legacy column|\"column\": \"Ozone\"|, \"calendar\": [\"month\"]|400|calendar",
                "a target named twice|\"targets\": [\"Ozone\"], \"future_covariates\": [\"Ozone\"]||400|dataset",
                "an unknown target column|\"targets\": [\"ozone\"]||422|dataset.targets",
                "a text column as a covariate|\"targets\": [\"Ozone\"], \"past_covariates\": [\"date\"]||422|dataset.targets",
                "a time column that is not time|\"targets\": [\"Ozone\"], \"time_column\": \"Temp\"|, \"calendar\": [\"month\"]|422|dataset.time_column",
                "an unknown time column|\"targets\": [\"Ozone\"], \"time_column\": \"when\"|, \"calendar\": [\"month\"]|422|dataset.time_column",
            })
    void badMultivariateJobsAreRefusedNamingTheField(String what, String dataset, String more, int status, String field)
            throws Exception {
        String ds = uploadShipped("airquality.csv");
        HttpResponse<String> r = post(
                "/v1/training-jobs",
                "{\"model_name\": \"tr-bad-mv\", \"dataset\": {\"id\": \"" + ds + "\", " + dataset + "}"
                        + (more == null ? "" : more) + "}");
        JsonNode problem = assertProblem(r, status, status == 400 ? "invalid" : "unprocessable", field);
        assertThat(problem.get("detail").asString()).as(what).isNotBlank();
    }

    @Test
    void anIrregularTimeColumnCannotGiveCalendarFeatures() throws Exception {
        String ds = upload("gappy", "date,y\n2024-01-01,1\n2024-01-02,2\n2024-01-04,3\n" + "2024-01-05,4\n".repeat(1));
        HttpResponse<String> r = post(
                "/v1/training-jobs",
                "{\"model_name\": \"tr-bad-mv\", \"dataset\": {\"id\": \"" + ds
                        + "\", \"targets\": [\"y\"], \"time_column\": \"date\"}, \"calendar\": [\"day_of_week\"]}");
        assertThat(assertProblem(r, 422, "unprocessable", "dataset.time_column")
                        .get("detail")
                        .asString())
                .contains("not regular")
                .contains("2024-01-03");
    }

    private double forecast(String model, String values, String future) throws Exception {
        HttpResponse<String> r = post(
                "/v1/models/" + model + ":forecast",
                "{\"series\": [{\"values\": " + values + ", \"future\": " + future + "}], \"horizon\": 1}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r).at("/forecasts/0/mean/0").asDouble();
    }
}
