package io.seqserve.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Over a real connection: a client that subscribes to a job's events and then stops reading does not hold
 * up the job, which trains to the end; when the client reads again it gets every event, in order.
 */
class StalledEventsTest extends TrainingHttpTest {

    private static final int EPOCHS = 100;

    @Test
    void aClientThatStopsReadingDoesNotHoldUpTrainingAndLosesNothing() throws Exception {
        String ds = uploadCsv("nile.csv");
        String id = submit("""
                {"model_name": "tr-stalled-events", "dataset": {"id": "%s", "column": "volume"}, "window": 5,
                 "architecture": {"cell": "rnn", "hidden_size": 2}, "training": {"epochs": %d, "batch_size": 64,
                 "early_stopping_patience": 0}}
                """.formatted(ds, EPOCHS));
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(1024);
            stalled.connect(new InetSocketAddress("127.0.0.1", port));
            // HTTP/1.0: the stream comes unchunked and ends with the connection.
            stalled.getOutputStream()
                    .write(("GET /v1/training-jobs/" + id + "/events HTTP/1.0\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            stalled.getOutputStream().flush();

            JsonNode job = succeeded(id);
            assertThat(job.get("history").size()).isEqualTo(EPOCHS);

            BufferedReader in =
                    new BufferedReader(new InputStreamReader(stalled.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).startsWith("HTTP/1.1 200");
            List<String> events = new ArrayList<>();
            List<JsonNode> data = new ArrayList<>();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("event:")) {
                    events.add(line.substring(6));
                } else if (line.startsWith("data:")) {
                    data.add(JSON.readTree(line.substring(5)));
                }
            }
            assertThat(events).hasSize(EPOCHS + 1).endsWith("status");
            for (int e = 1; e <= EPOCHS; e++) {
                assertThat(events.get(e - 1)).isEqualTo("progress");
                assertThat(data.get(e - 1).get("epoch").asInt()).isEqualTo(e);
            }
            assertThat(data.get(EPOCHS).get("status").asString()).isEqualTo("succeeded");
        }
    }
}
