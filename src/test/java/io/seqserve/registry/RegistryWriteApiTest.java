package io.seqserve.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.seqserve.Failure;
import io.seqserve.registry.TestArchives.Kind;
import io.seqserve.testing.ServerTest;
import io.seqserve.testing.TestModelRoot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The registry's write API over real HTTP: registration from a directory and from uploaded archives,
 * everything hostile refused with nothing left behind, broken models refused with 422, labels and
 * deletion. Every model here is named {@code reg-*} and removed again afterwards.
 */
class RegistryWriteApiTest extends ServerTest {

    private static final Path HALF_PLUS_TWO = TestModelRoot.SHARED.resolve("savedmodels/half_plus_two_cpu");
    private static final Path SUNSPOTS = TestModelRoot.SHARED.resolve("pytorch/sunspots_lstm_w24");
    private static final String HPT_REQUEST = "{\"instances\": [1.0, 2.0, 5.0]}";
    private static final String HPT_ANSWER = "{\"predictions\": [2.5, 3.0, 4.5]}";
    private static final String INCOMING = "incoming/reg-hpt";

    private static Path root;
    private static Path outside;

    @BeforeAll
    static void incoming() throws IOException {
        root = TestModelRoot.get();
        Path incoming = Files.createDirectories(root.resolve("incoming"));
        TestModelRoot.copy(HALF_PLUS_TWO, incoming.resolve("reg-hpt"));
        TestModelRoot.copy(HALF_PLUS_TWO, incoming.resolve(".reg-hidden"));
        TestModelRoot.copy(HALF_PLUS_TWO, incoming.resolve("reg-with-link"));
        Files.createSymbolicLink(
                incoming.resolve("reg-with-link/linked.txt"),
                HALF_PLUS_TWO.toAbsolutePath().resolve("SOURCE.txt"));
        Files.createSymbolicLink(incoming.resolve("reg-link"), incoming.resolve("reg-hpt"));
        Files.createSymbolicLink(incoming.resolve("reg-link-parent"), incoming);
        outside = Files.createTempDirectory("seqserve-outside-");
        TestModelRoot.copy(HALF_PLUS_TWO, outside.resolve("hpt"));
        Files.createSymbolicLink(incoming.resolve("reg-outside"), outside.resolve("hpt"));
    }

    /** Removes every {@code reg-*} model and incoming source: renamed to a hidden name first, so the scanner just sees them go. */
    @AfterAll
    static void removeWhatTheseTestsCreated() throws IOException {
        List<Path> mine = new ArrayList<>();
        try (Stream<Path> names = Files.list(root)) {
            names.filter(p -> p.getFileName().toString().startsWith("reg-")).forEach(mine::add);
        }
        try (Stream<Path> names = Files.list(root.resolve("incoming"))) {
            names.filter(p -> p.getFileName().toString().matches("\\.?reg-.*")).forEach(mine::add);
        }
        for (Path p : mine) {
            if (Files.isSymbolicLink(p)) {
                Files.delete(p);
            } else {
                Path trash = root.resolve(".reg-trash-" + UUID.randomUUID());
                Files.move(p, trash);
                AtomicFiles.deleteTree(trash);
            }
        }
        try (Stream<Path> rest = Files.list(root.resolve("incoming"))) {
            if (rest.findAny().isEmpty()) {
                Files.delete(root.resolve("incoming"));
            }
        }
        AtomicFiles.deleteTree(outside);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private HttpResponse<String> register(String name, String path) throws Exception {
        return post(
                "/v1/models",
                JSON.writeValueAsString(new java.util.LinkedHashMap<>(java.util.Map.of("name", name, "path", path))));
    }

    /** A multipart/form-data POST /v1/models; null parts are left out. */
    private HttpResponse<String> upload(String name, String filename, byte[] archive, String manifest)
            throws Exception {
        return upload(name, filename, archive, manifest, false);
    }

    /** As above; with {@code manifestAsFile} the manifest is a file part, as {@code -F manifest=@seqserve.yaml} sends it. */
    private HttpResponse<String> upload(
            String name, String filename, byte[] archive, String manifest, boolean manifestAsFile) throws Exception {
        String boundary = "seqserve-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (name != null) {
            part(
                    body,
                    boundary,
                    "Content-Disposition: form-data; name=\"name\"",
                    name.getBytes(StandardCharsets.UTF_8));
        }
        if (manifest != null) {
            part(
                    body,
                    boundary,
                    manifestAsFile
                            ? "Content-Disposition: form-data; name=\"manifest\"; filename=\"seqserve.yaml\"\r\n"
                                    + "Content-Type: application/octet-stream"
                            : "Content-Disposition: form-data; name=\"manifest\"",
                    manifest.getBytes(StandardCharsets.UTF_8));
        }
        if (archive != null) {
            part(
                    body,
                    boundary,
                    "Content-Disposition: form-data; name=\"file\"; filename=\"" + filename + "\"\r\n"
                            + "Content-Type: application/octet-stream",
                    archive);
        }
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return HTTP.send(
                HttpRequest.newBuilder(uri("/v1/models"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void part(ByteArrayOutputStream body, String boundary, String headers, byte[] content)
            throws IOException {
        body.write(("--" + boundary + "\r\n" + headers + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(content);
        body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private HttpResponse<String> upload(String name, TestArchives archive) throws Exception {
        return upload(name, archive.filename(name), archive.bytes(), null);
    }

    private HttpResponse<String> delete(String path) throws Exception {
        return send("DELETE", path, null, null);
    }

    private HttpResponse<String> putLabel(String name, String label, long version) throws Exception {
        return send(
                "PUT", "/v1/models/" + name + "/labels/" + label, "application/json", "{\"version\": " + version + "}");
    }

    private static JsonNode assertCreated(HttpResponse<String> response, String name, long version) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(response.headers().firstValue("Location"))
                .hasValueSatisfying(
                        location -> assertThat(location).endsWith("/v1/models/" + name + "/versions/" + version));
        JsonNode body = json(response);
        assertThat(body.get("name").asString()).isEqualTo(name);
        assertThat(body.get("version").asLong()).isEqualTo(version);
        assertThat(body.get("state").asString()).isEqualTo("available");
        return body;
    }

    private void assertHalfPlusTwoAnswers(String path) throws Exception {
        HttpResponse<String> response = post(path + ":predict", HPT_REQUEST);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response)).isEqualTo(JSON.readTree(HPT_ANSWER));
    }

    private void assertSunspotsAnswers(String path) throws Exception {
        JsonNode meta = JSON.readTree(Files.readString(SUNSPOTS.resolve("meta.json")));
        HttpResponse<String> response = post(path + ":predict", "{\"instances\": " + meta.get("example_input") + "}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode predictions = json(response).get("predictions");
        JsonNode expected = meta.get("example_output");
        assertThat(predictions.size()).isEqualTo(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(predictions.get(i).get(0).asDouble())
                    .isCloseTo(expected.get(i).get(0).asDouble(), within(1e-4));
        }
    }

    /** Everything below .staging that is not an empty directory. */
    private static Set<Path> stagingLeftovers() throws IOException {
        Path staging = root.resolve(".staging");
        Set<Path> found = new TreeSet<>();
        if (!Files.exists(staging)) {
            return found;
        }
        try (Stream<Path> walk = Files.walk(staging)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (!Files.isDirectory(p)) {
                    found.add(p);
                } else {
                    try (Stream<Path> children = Files.list(p)) {
                        if (children.findAny().isPresent() && !p.equals(staging)) {
                            found.add(p);
                        }
                    }
                }
            }
        }
        return found;
    }

    /** Runs a refused request and checks its problem and that it left nothing on disk. */
    private JsonNode assertRefusedLeavingNothing(String name, int status, Callable request) throws Exception {
        Set<Path> before = stagingLeftovers();
        JsonNode problem = assertProblem(request.call(), status);
        assertThat(root.resolve(name)).as("model directory").doesNotExist();
        assertThat(stagingLeftovers()).as("new leftovers under .staging").isSubsetOf(before);
        assertThat(root.resolve("evil.txt")).doesNotExist();
        assertThat(root.resolve(".staging/evil.txt")).doesNotExist();
        return problem;
    }

    @FunctionalInterface
    private interface Callable {
        HttpResponse<String> call() throws Exception;
    }

    // ---- registration from a directory ---------------------------------------------------------

    @Test
    void registersADirectoryUnderTheRootAndServesIt() throws Exception {
        JsonNode created = assertCreated(register("reg-path", INCOMING), "reg-path", 1);
        assertThat(created.get("format").asString()).isEqualTo("savedmodel");
        assertHalfPlusTwoAnswers("/v1/models/reg-path");
        assertHalfPlusTwoAnswers("/v1/models/reg-path/versions/1");
        assertThat(root.resolve("reg-path/1/saved_model.pb")).isRegularFile();
        assertThat(root.resolve(INCOMING).resolve("saved_model.pb"))
                .as("the source is copied, not moved")
                .isRegularFile();

        assertCreated(register("reg-path", INCOMING), "reg-path", 2);
        assertThat(json(get("/v1/models/reg-path")).get("version").asLong())
                .as("the newest answers")
                .isEqualTo(2);
        JsonNode listed = json(get("/v1/models")).get("models");
        assertThat(listed.findValuesAsString("name")).contains("reg-path");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "../x",
                "..",
                "incoming/../" + "incoming/reg-hpt",
                "incoming/./reg-hpt",
                "./incoming/reg-hpt",
                "incoming/reg-link",
                "incoming/reg-link-parent/reg-hpt",
                "incoming/reg-outside",
                "incoming/reg-missing",
                "incoming/.reg-hidden",
                ".staging",
                "incoming/reg-hpt/saved_model.pb",
                "incoming/reg-with-link",
                "",
                "/",
                "\\\\server\\share"
            })
    void refusesPathsOutsideTheRootLinksAndHiddenSegments(String path) throws Exception {
        JsonNode problem = assertRefusedLeavingNothing("reg-bad-path", 400, () -> register("reg-bad-path", path));
        assertThat(problem.get("detail").asString()).contains("path");
    }

    @Test
    void refusesAnAbsolutePathEvenInsideTheRoot() throws Exception {
        String absolute = root.resolve(INCOMING).toString();
        assertRefusedLeavingNothing("reg-bad-path", 400, () -> register("reg-bad-path", absolute));
        assertRefusedLeavingNothing(
                "reg-bad-path",
                400,
                () -> register("reg-bad-path", outside.resolve("hpt").toString()));
    }

    @Test
    void refusesABodyWithoutNameOrPath() throws Exception {
        assertProblem(post("/v1/models", "{\"name\": \"reg-no-path\"}"), 400);
        assertProblem(post("/v1/models", "{\"path\": \"" + INCOMING + "\"}"), 400);
        assertProblem(post("/v1/models", "{\"name\": "), 400);
        assertThat(root.resolve("reg-no-path")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Reg-Upper",
                "reg name",
                "-reg",
                ".reg",
                "../reg",
                "reg/x",
                "reg:x",
                "rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr",
                ""
            })
    void refusesInvalidModelNames(String name) throws Exception {
        JsonNode problem = assertProblem(register(name, INCOMING), 400);
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("name");
        JsonNode upload = assertProblem(upload(name, TestArchives.of(Kind.ZIP).tree(HALF_PLUS_TWO, "")), 400);
        assertThat(upload.get("detail").asString()).contains("name");
        try (Stream<Path> names = Files.list(root)) {
            assertThat(names.map(p -> p.getFileName().toString())
                            .filter(n -> n.equalsIgnoreCase(name.strip()))
                            .toList())
                    .isEmpty();
        }
    }

    // ---- uploads -------------------------------------------------------------------------------

    @Test
    void registersAnUploadedZip() throws Exception {
        JsonNode created = assertCreated(
                upload("reg-upload-zip", TestArchives.of(Kind.ZIP).tree(HALF_PLUS_TWO, "")), "reg-upload-zip", 1);
        assertThat(created.get("format").asString()).isEqualTo("savedmodel");
        assertHalfPlusTwoAnswers("/v1/models/reg-upload-zip");
        JsonNode detail = json(get("/v1/models/reg-upload-zip/versions/1"));
        assertThat(detail.get("state").asString()).isEqualTo("available");
        assertThat(detail.get("format").asString()).isEqualTo("savedmodel");
        assertThat(detail.get("engine").asString()).isEqualTo("TensorFlow");
        assertThat(root.resolve("reg-upload-zip/1/variables/variables.index")).isRegularFile();
    }

    @Test
    void registersAnUploadedTarGzWrappedInAFolder() throws Exception {
        TestArchives archive = TestArchives.of(Kind.TAR_GZ)
                .dir("sunspots")
                .file(
                        "sunspots/sunspots_lstm_w24.onnx",
                        Files.readAllBytes(SUNSPOTS.resolve("sunspots_lstm_w24.onnx")));
        assertCreated(upload("reg-upload-targz", archive), "reg-upload-targz", 1);
        JsonNode detail = json(get("/v1/models/reg-upload-targz"));
        assertThat(detail.get("state").asString()).isEqualTo("available");
        assertThat(detail.get("format").asString()).isEqualTo("onnx");
        assertThat(detail.get("inputs").get(0).get("shape")).isEqualTo(JSON.readTree("[-1, 24, 1]"));
        assertSunspotsAnswers("/v1/models/reg-upload-targz");
        assertThat(root.resolve("reg-upload-targz/1/sunspots_lstm_w24.onnx"))
                .as("the wrapping folder is dropped")
                .isRegularFile();
    }

    @Test
    void registersAnUploadWithAManifestPart() throws Exception {
        String manifest = "task: forecasting\ndescription: uploaded with a manifest\nmetrics:\n  rmse: 18.9\n";
        byte[] archive = TestArchives.of(Kind.ZIP)
                .file("sunspots_lstm_w24.onnx", Files.readAllBytes(SUNSPOTS.resolve("sunspots_lstm_w24.onnx")))
                .bytes();
        assertCreated(upload("reg-upload-manifest", "model.zip", archive, manifest), "reg-upload-manifest", 1);
        JsonNode detail = json(get("/v1/models/reg-upload-manifest/versions/1"));
        assertThat(detail.get("task").asString()).isEqualTo("forecasting");
        assertThat(detail.get("manifest").get("description").asString()).isEqualTo("uploaded with a manifest");
        assertThat(detail.get("metrics").get("rmse").asDouble()).isEqualTo(18.9);
        assertThat(root.resolve("reg-upload-manifest/1/seqserve.yaml")).hasContent(manifest);
        assertSunspotsAnswers("/v1/models/reg-upload-manifest");
    }

    @Test
    void registersAnUploadWithAManifestFilePart() throws Exception {
        // a comment with a ';' in it: curl's -F manifest="$(cat ...)" would cut the value there; a file part keeps it
        // whole
        String manifest = "# window; features\ntask: forecasting\ndescription: uploaded as a file part\n";
        byte[] archive = TestArchives.of(Kind.ZIP)
                .file("sunspots_lstm_w24.onnx", Files.readAllBytes(SUNSPOTS.resolve("sunspots_lstm_w24.onnx")))
                .bytes();
        assertCreated(
                upload("reg-upload-manifest-file", "model.zip", archive, manifest, true),
                "reg-upload-manifest-file",
                1);
        JsonNode detail = json(get("/v1/models/reg-upload-manifest-file/versions/1"));
        assertThat(detail.get("task").asString()).isEqualTo("forecasting");
        assertThat(detail.get("manifest").get("description").asString()).isEqualTo("uploaded as a file part");
        assertThat(root.resolve("reg-upload-manifest-file/1/seqserve.yaml")).hasContent(manifest);
        assertProblem(
                upload("reg-upload-manifest-file", "model.zip", archive, "x".repeat(2 << 20), true),
                413,
                "too-large",
                null);
    }

    @Test
    void refusesAnInvalidManifestPartLeavingNothing() throws Exception {
        byte[] archive = TestArchives.of(Kind.ZIP).tree(HALF_PLUS_TWO, "").bytes();
        JsonNode problem = assertRefusedLeavingNothing(
                "reg-bad-manifest", 400, () -> upload("reg-bad-manifest", "model.zip", archive, "task: juggling\n"));
        assertThat(problem.get("detail").asString()).contains("task");
        assertRefusedLeavingNothing(
                "reg-bad-manifest", 400, () -> upload("reg-bad-manifest", "model.zip", archive, "no_such_key: 1\n"));
    }

    @Test
    void refusesAnUploadWithoutAFile() throws Exception {
        assertRefusedLeavingNothing("reg-no-file", 400, () -> upload("reg-no-file", null, null, null));
        assertRefusedLeavingNothing("reg-no-file", 400, () -> upload("reg-no-file", "empty.zip", new byte[0], null));
    }

    /** Hostile archives, each also carrying a good model so that only the attack can be the reason. */
    enum Attack {
        DOT_DOT(a ->
                a.file("../evil.txt", "evil").file("../../evil.txt", "evil").file("../../../evil.txt", "evil")),
        ABSOLUTE(a -> a.file("/tmp/seqserve-reg-evil-" + UUID.randomUUID(), "evil")),
        SYMLINK(a -> a.symlink("evil-link", "/etc/passwd")),
        SYMLINK_THEN_WRITE_THROUGH_IT(a -> a.symlink("up", "../../..").file("up/evil.txt", "evil")),
        HARDLINK(a -> a.hardlink("evil-link", "/etc/passwd")),
        TOO_MANY_ENTRIES(a -> {
            for (int i = 0; i <= 10_000; i++) {
                a.dir("d" + i);
            }
            return a;
        });

        final Function<TestArchives, TestArchives> add;

        Attack(Function<TestArchives, TestArchives> add) {
            this.add = add;
        }
    }

    @ParameterizedTest
    @EnumSource(value = Attack.class, mode = EnumSource.Mode.EXCLUDE, names = "HARDLINK") // zip has no hard links
    void refusesHostileZipsLeavingNothing(Attack attack) throws Exception {
        refusesHostile(Kind.ZIP, attack);
    }

    @ParameterizedTest
    @EnumSource(Attack.class)
    void refusesHostileTarGzLeavingNothing(Attack attack) throws Exception {
        refusesHostile(Kind.TAR_GZ, attack);
    }

    private void refusesHostile(Kind kind, Attack attack) throws Exception {
        TestArchives archive = attack.add.apply(TestArchives.of(kind).tree(HALF_PLUS_TWO, ""));
        String name = "reg-evil-" + kind.name().toLowerCase().replace('_', '-');
        int status = attack == Attack.TOO_MANY_ENTRIES ? 413 : 400; // a bound, not a malformed archive
        JsonNode problem = assertRefusedLeavingNothing(name, status, () -> upload(name, archive));
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("file");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void refusesWhatIsNotAReadableArchive(Kind kind) throws Exception {
        byte[] good = TestArchives.of(kind).tree(HALF_PLUS_TWO, "").bytes();
        assertRefusedLeavingNothing(
                "reg-garbage",
                400,
                () -> upload("reg-garbage", kind.extension, java.util.Arrays.copyOf(good, good.length / 2), null));
        assertRefusedLeavingNothing(
                "reg-garbage",
                400,
                () -> upload("reg-garbage", "notes.txt", "plain text".getBytes(StandardCharsets.UTF_8), null));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void refusesABrokenModelWith422LeavingNothing(Kind kind) throws Exception {
        String name = "reg-broken-" + kind.name().toLowerCase().replace('_', '-');
        TestArchives garbagePb = TestArchives.of(kind)
                .file("saved_model.pb", "this is not a protocol buffer")
                .dir("variables");
        JsonNode problem = assertRefusedLeavingNothing(name, 422, () -> upload(name, garbagePb));
        assertThat(problem.get("detail").asString()).contains("nothing was registered");

        TestArchives garbageOnnx = TestArchives.of(kind).file("model.onnx", "not an onnx graph");
        assertRefusedLeavingNothing(name, 422, () -> upload(name, garbageOnnx));

        TestArchives noModel = TestArchives.of(kind).file("README.md", "no model here");
        assertRefusedLeavingNothing(name, 422, () -> upload(name, noModel));
    }

    @Test
    void aBrokenUploadToAnExistingModelKeepsItsVersions() throws Exception {
        assertCreated(upload("reg-keep", TestArchives.of(Kind.ZIP).tree(HALF_PLUS_TWO, "")), "reg-keep", 1);
        assertProblem(upload("reg-keep", TestArchives.of(Kind.ZIP).file("saved_model.pb", "garbage")), 422);
        assertThat(root.resolve("reg-keep/2")).doesNotExist();
        assertThat(root.resolve("reg-keep/1/saved_model.pb")).isRegularFile();
        assertHalfPlusTwoAnswers("/v1/models/reg-keep");
        assertCreated(upload("reg-keep", TestArchives.of(Kind.ZIP).tree(HALF_PLUS_TWO, "")), "reg-keep", 2);
    }

    // ---- labels and deletion -------------------------------------------------------------------

    @Test
    void labelsResolveAndPersistAndGuardDeletion() throws Exception {
        String model = "reg-labels";
        assertCreated(register(model, INCOMING), model, 1);
        assertCreated(register(model, INCOMING), model, 2);
        awaitState(model, 1, "unloaded"); // latest-versions=1: the older version leaves once v2 serves
        JsonNode gone = assertProblem(
                post("/v1/models/" + model + "/versions/1:predict", HPT_REQUEST), Failure.Code.VERSION_NOT_LOADED);
        assertThat(gone.get("detail").asString())
                .as("says how to bring it back")
                .contains("label it");

        JsonNode labelled = json(putLabel(model, "production", 1));
        assertThat(labelled.get("version").asLong()).isEqualTo(1);
        assertThat(labelled.get("state").asString())
                .as("labelling loads the version first")
                .isEqualTo("available");
        assertThat(labelled.get("labels")).isEqualTo(JSON.readTree("[\"production\"]"));

        assertThat(json(get("/v1/models/" + model + "/labels/production"))
                        .get("version")
                        .asLong())
                .isEqualTo(1);
        assertHalfPlusTwoAnswers("/v1/models/" + model + "/labels/production");
        assertThat(json(get("/v1/models/" + model)).get("version").asLong())
                .as("a bare name means production")
                .isEqualTo(1);
        assertHalfPlusTwoAnswers("/v1/models/" + model);

        assertThat(putLabel(model, "canary", 2).statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(Files.readString(root.resolve(model + "/labels.json"))))
                .isEqualTo(JSON.readTree("{\"canary\": 2, \"production\": 1}"));
        JsonNode summary = null;
        for (JsonNode m : json(get("/v1/models")).get("models")) {
            if (m.get("name").asString().equals(model)) {
                summary = m;
            }
        }
        assertThat(summary).isNotNull();
        assertThat(summary.get("labels")).isEqualTo(JSON.readTree("{\"canary\": 2, \"production\": 1}"));
        assertThat(summary.get("aliases"))
                .as("the deprecated name stays for existing clients")
                .isEqualTo(summary.get("labels"));

        assertProblem(delete("/v1/models/" + model + "/versions/1"), 409);
        assertProblem(delete("/v1/models/" + model + "/versions/2"), 409);
        assertThat(root.resolve(model + "/1")).isDirectory();

        assertCreated(register(model, INCOMING), model, 3);
        assertThat(json(get("/v1/models/" + model)).get("version").asLong())
                .as("production still wins over the newest")
                .isEqualTo(1);
        HttpResponse<String> deleted = delete("/v1/models/" + model + "/versions/3");
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
        assertThat(root.resolve(model + "/3")).doesNotExist();
        assertProblem(get("/v1/models/" + model + "/versions/3"), 404);
        assertProblem(delete("/v1/models/" + model + "/versions/3"), 404);
        assertHalfPlusTwoAnswers("/v1/models/" + model + "/labels/canary");

        assertThat(putLabel(model, "production", 2).statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(Files.readString(root.resolve(model + "/labels.json"))))
                .isEqualTo(JSON.readTree("{\"canary\": 2, \"production\": 2}"));
        awaitState(model, 1, "unloaded"); // no longer labelled: it leaves; delete it once it is gone from memory
        assertThat(delete("/v1/models/" + model + "/versions/1").statusCode()).isEqualTo(204);
        assertThat(root.resolve(model + "/1")).doesNotExist();
        assertHalfPlusTwoAnswers("/v1/models/" + model);
    }

    @Test
    void refusesBadLabelRequests() throws Exception {
        String model = "reg-label-errors";
        assertCreated(register(model, INCOMING), model, 1);
        assertProblem(putLabel(model, "production", 9), 404);
        assertProblem(putLabel("reg-no-such-model", "production", 1), 404);
        assertProblem(putLabel(model, "Bad:Label", 1), 400);
        assertProblem(send("PUT", "/v1/models/" + model + "/labels/production", "application/json", "{}"), 400);
        assertProblem(
                send("PUT", "/v1/models/" + model + "/labels/production", "application/json", "{\"version\": 0}"), 400);
        assertProblem(get("/v1/models/" + model + "/labels/production"), 404);
        assertProblem(post("/v1/models/" + model + "/labels/production:predict", HPT_REQUEST), 404);
        assertThat(root.resolve(model + "/labels.json")).doesNotExist();
    }

    @Test
    void unknownModelsAndVersionsAre404Problems() throws Exception {
        assertProblem(get("/v1/models/reg-no-such-model"), 404);
        assertProblem(get("/v1/models/reg-no-such-model/versions/1"), 404);
        assertProblem(get("/v1/models/reg-no-such-model/labels/production"), 404);
        assertProblem(post("/v1/models/reg-no-such-model:predict", HPT_REQUEST), 404);
        assertProblem(delete("/v1/models/reg-no-such-model/versions/1"), 404);
        assertProblem(get("/v1/models/half_plus_two/versions/99"), 404);
        assertProblem(delete("/v1/models/half_plus_two/versions/99"), 404);
        assertProblem(post("/v1/models/half_plus_two/versions/99:predict", HPT_REQUEST), 404);
        assertProblem(get("/v1/models/half_plus_two/versions/zero"), 400);
        assertThat(root.resolve("half_plus_two/00000123/saved_model.pb"))
                .as("untouched")
                .isRegularFile();
    }

    private void awaitState(String model, long version, String state) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            HttpResponse<String> r = get("/v1/models/" + model + "/versions/" + version);
            if (r.statusCode() == 200 && json(r).get("state").asString().equals(state)) {
                return;
            }
            assertThat(System.nanoTime())
                    .as("%s %d %s in time (last: %s)", model, version, state, r.body())
                    .isLessThan(until);
            Thread.sleep(50);
        }
    }
}
