package io.seqserve.fuzz;

import java.util.List;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The endpoint families the fuzz suite covers, each with valid requests to start from: prediction (TF
 * Serving and V2), forecasting (forecast, backtest, calibrate), generation (generate, completions), registry
 * writes, data sets, training jobs, and reads. Writes go to names of the suite's own ({@code qz-...}) or to
 * models that cannot take them, so the baseline models stay as built.
 */
final class Families {

    private static final String WINDOW =
            "[" + "1.0, 2.0, 3.0, 4.0, 5.0, 6.0, ".repeat(4).replaceAll(", $", "") + "]";
    private static final String LONG_SERIES =
            "[" + "12.0, 30.5, 51.0, 70.2, 44.0, 20.1, 5.5, 9.0, ".repeat(6).replaceAll(", $", "") + "]";
    private static final List<String> MODEL_PATHS =
            List.of("/v1/models/%s", "/v1/models/%s/versions/1", "/v1/models/%s/labels/production");

    private Families() {}

    static List<Family> all() {
        return List.of(
                Family.json(
                        "tfserving",
                        "POST",
                        suffix(":predict", "123"),
                        List.of("half_plus_two", "java-half-plus-two", "sunspots"),
                        "{\"instances\": [1.0, 2.0, 5.0]}",
                        "{\"inputs\": {\"x\": [[1.0], [3.0]]}}",
                        "{\"signature_name\": \"serving_default\", \"instances\": [[1.0]]}",
                        "{\"instances\": [[" + "[1.5], [2.5], [3.5], ".repeat(8).replaceAll(", $", "") + "]]}"),
                Family.json(
                        "v2",
                        "POST",
                        List.of("/v2/models/%s/infer", "/v2/models/%s/versions/1/infer"),
                        List.of("sunspots", "java-half-plus-two", "sunspots-onnx"),
                        "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 24, 1], \"datatype\": \"FP32\", \"data\": "
                                + WINDOW + "}]}",
                        "{\"id\": \"r1\", \"inputs\": [{\"name\": \"x\", \"shape\": [2, 1], \"datatype\": \"FP32\", \"data\": [1, 2]}],"
                                + " \"outputs\": [{\"name\": \"y\"}]}",
                        "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 1], \"datatype\": \"INT64\", \"data\": [3]}]}"),
                Family.json(
                        "forecast",
                        "POST",
                        suffix(":forecast", "1"),
                        List.of("fuzz-fc", "sunspots"),
                        "{\"series\": [{\"id\": \"a\", \"values\": " + LONG_SERIES
                                + "}], \"horizon\": 3, \"level\": [80, 95]}",
                        "{\"series\": [{\"id\": \"a\", \"values\": " + WINDOW + "}, {\"id\": \"b\", \"values\": "
                                + WINDOW.replace("2.0", "null") + "}], \"horizon\": 1}",
                        // the multivariate fields (issue 14): future covariates, a start for calendars, statics
                        "{\"series\": [{\"id\": \"a\", \"values\": " + WINDOW + ", \"future\": [[1.5], [2.5]],"
                                + " \"start\": \"2024-01\", \"static_covariates\": [1]}], \"horizon\": 2}"),
                Family.json(
                        "backtest",
                        "POST",
                        suffix(":backtest", "1"),
                        List.of("fuzz-fc"),
                        "{\"series\": [{\"id\": \"s\", \"values\": " + LONG_SERIES
                                + "}], \"horizon\": 1, \"windows\": 5, \"step\": 1, \"season\": 8, \"level\": [80]}"),
                Family.json(
                        "calibrate",
                        "POST",
                        suffix(":calibrate", "1"),
                        List.of("sunspots", "half_plus_two"), // cannot calibrate: nothing is written
                        "{\"series\": [{\"id\": \"a\", \"values\": " + LONG_SERIES
                                + "}], \"horizon\": 1, \"windows\": 5}"),
                Family.json(
                                "timeout-generate",
                                "POST",
                                suffix(":generate", "1"),
                                List.of("fuzz-lm", "half_plus_two"),
                                "{\"prompt\": \"abc\", \"max_tokens\": 20, \"temperature\": 0.8, \"top_k\": 3,"
                                        + " \"top_p\": 0.9, \"repetition_penalty\": 1.1, \"seed\": 7, \"stop\": [\"fa\"]}",
                                "{\"prompt\": \"ab\", \"max_tokens\": 5, \"stream\": true, \"stop\": \"g\"}")
                        .guarded(Families::fewTokens),
                Family.json(
                                "completions",
                                "POST",
                                List.of("/v1/completions"),
                                List.of(),
                                "{\"model\": \"fuzz-lm\", \"prompt\": \"abc\", \"max_tokens\": 10, \"temperature\": 0.5,"
                                        + " \"seed\": 1, \"user\": \"x\", \"logit_bias\": {}}",
                                "{\"model\": \"fuzz-lm/versions/1\", \"prompt\": [\"ab\"], \"max_tokens\": 4, \"stream\": true,"
                                        + " \"stream_options\": {\"include_usage\": true}}",
                                "{\"model\": \"half_plus_two\", \"prompt\": \"ab\"}")
                        .guarded(Families::fewTokens),
                Family.json(
                                "register",
                                "POST",
                                List.of("/v1/models"),
                                List.of(),
                                "{\"name\": \"qz-model\", \"path\": \"qz-missing/1\"}")
                        .guarded(Families::missingPath),
                Family.json("label", "PUT", List.of("/v1/models/%s/labels/production"), List.of(), "{\"version\": 1}"),
                Family.json("delete", "DELETE", List.of("/v1/models/%s/versions/1"), List.of(), "{}"),
                Family.text(
                        "register-upload",
                        "/v1/models",
                        "multipart/form-data; boundary=qzb",
                        "--qzb\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nqz-up\r\n--qzb\r\n"
                                + "Content-Disposition: form-data; name=\"file\"; filename=\"m.zip\"\r\n"
                                + "Content-Type: application/zip\r\n\r\nPK\u0003\u0004qz\r\n--qzb--\r\n"),
                Family.text("dataset-csv", "/v1/datasets?name=qz-set", "text/csv", "t,value\n1,2.5\n2,\n3,4e2\n"),
                Family.text("dataset-text", "/v1/datasets?name=qz-text&kind=text", "text/plain", "qz some text\n"),
                Family.text(
                        "dataset-upload",
                        "/v1/datasets",
                        "multipart/form-data; boundary=qzb",
                        "--qzb\r\nContent-Disposition: form-data; name=\"file\"; filename=\"qz.csv\"\r\n"
                                + "Content-Type: text/csv\r\n\r\nvalue\n1\n2\n\r\n--qzb--\r\n"),
                Family.json(
                        "training",
                        "POST",
                        List.of("/v1/training-jobs"),
                        List.of(),
                        "{\"model_name\": \"qz-model\", \"task\": \"forecasting\", \"dataset\": {\"id\": \"ds_qz0000000000\","
                                + " \"column\": \"value\"}, \"window\": 4, \"horizon\": 1, \"architecture\": {\"cell\": \"gru\","
                                + " \"hidden_size\": 8}, \"training\": {\"epochs\": 1, \"batch_size\": 4}, \"search\":"
                                + " {\"hidden_size\": [4, 8], \"folds\": 2}, \"device\": \"cpu\"}",
                        "{\"model_name\": \"qz-lm\", \"task\": \"text-generation\", \"dataset\": {\"id\": \"ds_qz0000000001\"},"
                                + " \"sequence_length\": 8, \"embedding_size\": 4}"),
                Family.json("cancel", "POST", List.of("/v1/training-jobs/job_%s:cancel"), List.of(), "{}"),
                Family.json(
                        "reads",
                        "GET",
                        List.of(
                                "/v1/models/%s",
                                "/v2/models/%s",
                                "/v2/models/%s/ready",
                                "/v1/datasets/%s",
                                "/v1/training-jobs/%s",
                                "/v1/training-jobs?status=%s"),
                        List.of("half_plus_two", "sunspots"),
                        "{}"));
    }

    private static List<String> suffix(String call, String version) {
        return MODEL_PATHS.stream()
                .map(p -> p.replace("versions/1", "versions/" + version) + call)
                .toList();
    }

    /** A generation may not ask for more than 20 tokens: the suite tests validation, not decoding speed. */
    private static JsonNode fewTokens(JsonNode body) {
        if (body instanceof ObjectNode o
                && o.path("max_tokens").isIntegralNumber()
                && o.path("max_tokens").asLong() > 20) {
            o.put("max_tokens", 20);
        }
        return body;
    }

    /** A registration path never names a directory that exists (the root itself included). */
    private static JsonNode missingPath(JsonNode body) {
        if (body instanceof ObjectNode o
                && o.path("path").isString()
                && !o.path("path").asString().contains(Mutator.MARK)) {
            o.put("path", o.path("path").asString() + "/" + Mutator.MARK + "-missing");
        }
        return body;
    }

    static UnaryOperator<JsonNode> none() {
        return UnaryOperator.identity();
    }
}
