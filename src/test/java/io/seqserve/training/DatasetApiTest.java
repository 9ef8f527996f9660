package io.seqserve.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Uploads as bodies and as multipart files, typed CSV columns with missing values counted, and bad uploads. */
class DatasetApiTest extends TrainingHttpTest {

    @Test
    void aCsvBodyIsStoredWithTypedColumnsAndMissingValuesCounted() throws Exception {
        HttpResponse<String> r = send(
                "POST", "/v1/datasets?name=co2%20weekly", "text/csv", Files.readString(DATASETS.resolve("co2.csv")));
        assertThat(r.statusCode()).isEqualTo(201);
        JsonNode ds = json(r);
        assertThat(r.headers().firstValue("Location"))
                .hasValue("/v1/datasets/" + ds.get("id").asString());
        assertThat(ds.get("name").asString()).isEqualTo("co2 weekly");
        assertThat(ds.get("kind").asString()).isEqualTo("csv");
        assertThat(ds.get("rows").asLong()).isEqualTo(2284);
        assertThat(ds.get("bytes").asLong()).isEqualTo(Files.size(DATASETS.resolve("co2.csv")));
        assertThat(ds.get("columns").toString())
                .isEqualTo(
                        "[{\"name\":\"date\",\"type\":\"number\",\"missing\":0},{\"name\":\"co2\",\"type\":\"number\",\"missing\":59}]");
        assertThat(json(get("/v1/datasets/" + ds.get("id").asString()))).isEqualTo(ds);
        List<String> ids = new ArrayList<>();
        json(get("/v1/datasets"))
                .get("datasets")
                .forEach(d -> ids.add(d.get("id").asString()));
        assertThat(ids).contains(ds.get("id").asString());
    }

    @Test
    void multipartFilesAreStoredAsCsvOrTextByTheirName() throws Exception {
        JsonNode csv = json(multipart("nile.csv", "text/csv", Files.readString(DATASETS.resolve("nile.csv")), ""));
        assertThat(csv.get("kind").asString()).isEqualTo("csv");
        assertThat(csv.get("rows").asInt()).isEqualTo(100);
        assertThat(csv.get("name").asString()).isEqualTo(csv.get("id").asString());
        JsonNode text = json(multipart("notes.txt", "text/plain", "line one\nline two, with ünïcödé\n", "?name=notes"));
        assertThat(text.get("kind").asString()).isEqualTo("text");
        assertThat(text.get("rows").asInt()).isEqualTo(2);
        assertThat(text.get("characters").asInt()).isEqualTo(32);
        assertThat(text.has("columns")).isFalse();
        JsonNode forced = json(multipart("data.bin", "application/octet-stream", "a;b\n1;2\n", "?kind=text"));
        assertThat(forced.get("kind").asString()).isEqualTo("text");
    }

    @Test
    void aColumnWithWordsIsAStringColumn() throws Exception {
        JsonNode ds = json(
                send("POST", "/v1/datasets", "text/csv", "t,city,temp\n1,Oslo,3.5\n2,Rome,NA\n3,\"Paris, FR\",12\n"));
        assertThat(ds.get("columns").toString())
                .isEqualTo(
                        "[{\"name\":\"t\",\"type\":\"number\",\"missing\":0},"
                                + "{\"name\":\"city\",\"type\":\"string\",\"missing\":0},{\"name\":\"temp\",\"type\":\"number\",\"missing\":1}]");
    }

    @Test
    void malformedCsvEmptyTextAndBadParametersAreRefused() throws Exception {
        int before = json(get("/v1/datasets")).get("datasets").size();
        assertProblem(send("POST", "/v1/datasets", "text/csv", "a,b\n1,\"2\n3,4\n"), 400);
        assertProblem(send("POST", "/v1/datasets", "text/csv", "a,b\n1,2\n3,4,5\n"), 400);
        assertProblem(send("POST", "/v1/datasets", "text/csv", "a,b\n"), 400);
        assertProblem(send("POST", "/v1/datasets", "text/csv", ""), 400);
        assertProblem(send("POST", "/v1/datasets", "text/csv", "a,a\n1,2\n"), 400);
        assertProblem(send("POST", "/v1/datasets", "text/plain", ""), 400);
        assertProblem(send("POST", "/v1/datasets", "text/plain", " \n\t\n"), 400);
        assertProblem(
                multipart(
                        "bad.txt",
                        "text/plain",
                        new String(new byte[] {(byte) 0xff, (byte) 0xfe, 0x41}, StandardCharsets.ISO_8859_1),
                        ""),
                400);
        assertProblem(send("POST", "/v1/datasets?kind=parquet", "text/csv", "a\n1\n"), 400);
        assertProblem(send("POST", "/v1/datasets?name=%2E%2E%2Fetc", "text/csv", "a\n1\n"), 400);
        assertProblem(send("POST", "/v1/datasets", "application/xml", "<a/>"), 415);
        assertThat(json(get("/v1/datasets")).get("datasets").size()).isEqualTo(before);
        assertProblem(get("/v1/datasets/ds_000000000000"), 404);
    }

    private HttpResponse<String> multipart(String filename, String type, String content, String query)
            throws Exception {
        String boundary = UUID.randomUUID().toString();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                        + "\"\r\nContent-Type: " + type + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] body = content.getBytes(
                type.equals("text/plain") && filename.equals("bad.txt")
                        ? StandardCharsets.ISO_8859_1
                        : StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + body.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        System.arraycopy(tail, 0, all, head.length + body.length, tail.length);
        return HTTP.send(
                HttpRequest.newBuilder(uri("/v1/datasets" + query))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(all))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
