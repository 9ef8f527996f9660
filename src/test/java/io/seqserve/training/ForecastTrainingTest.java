package io.seqserve.training;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

class ForecastTrainingTest extends TrainingHttpTest {

    @Test
    void smoke() throws Exception {
        String ds = uploadCsv("sunspots.csv");
        String id = submit("""
                {"model_name": "tr-sunspots-lstm", "task": "forecasting",
                 "dataset": {"id": "%s", "column": "SUNACTIVITY"}, "window": 24,
                 "architecture": {"cell": "lstm", "hidden_size": 32},
                 "training": {"epochs": 30, "batch_size": 16, "learning_rate": 0.01, "early_stopping_patience": 8}}
                """.formatted(ds));
        JsonNode job = succeeded(id);
        System.out.println(job.toPrettyString());
        System.out.println(get("/v1/models/tr-sunspots-lstm").body());
    }
}
