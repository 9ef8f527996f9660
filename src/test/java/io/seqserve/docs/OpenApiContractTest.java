package io.seqserve.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.testing.HttpTest;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI document of the running application (demo models, defaults) is a valid OpenAPI 3.1 document
 * that says what the wire does, and a client that knows only the document can use it: for a forecast, a
 * generation and a training job, the request is built from the document alone (path, the parameters'
 * examples, the body's example, as Swagger UI's "Try it out" does), and the answer's status and body are
 * checked against the responses the document declares.
 */
@HttpTest
class OpenApiContractTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static DemoApp app;
    private static String document;
    private static OpenAPI openApi;

    @BeforeAll
    static void start() throws Exception {
        app = DemoApp.start();
        document = HTTP.send(
                        HttpRequest.newBuilder(app.uri("/v3/api-docs")).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(document);
        assertThat(parsed.getMessages()).as("swagger-parser's findings").isEmpty();
        openApi = parsed.getOpenAPI();
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void theDocumentNamesTheBuildAndHidesTheErrorPage() throws Exception {
        Properties build = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/META-INF/build-info.properties")) {
            assertThat(in)
                    .as("build-info.properties (spring-boot-maven-plugin build-info)")
                    .isNotNull();
            build.load(in);
        }
        assertThat(openApi.getOpenapi()).isEqualTo("3.1.0");
        assertThat(openApi.getInfo().getTitle()).isEqualTo(build.getProperty("build.name"));
        assertThat(openApi.getInfo().getVersion()).isEqualTo(build.getProperty("build.version"));
        assertThat(openApi.getInfo().getDescription()).startsWith(build.getProperty("build.description"));
        assertThat(openApi.getPaths()).doesNotContainKey("/error");
        JsonNode v2 = JSON.readTree(
                HTTP.send(HttpRequest.newBuilder(app.uri("/v2")).build(), HttpResponse.BodyHandlers.ofString())
                        .body());
        assertThat(v2.get("version").asString()).isEqualTo(build.getProperty("build.version"));
    }

    @Test
    void schemasAreTheRecordsAsTheWireNamesThem() {
        Map<String, Schema> schemas = openApi.getComponents().getSchemas();
        assertThat(schemas).doesNotContainKeys("JsonNode", "ResponseBodyEmitter", "ProblemDetail", "TensorJson");
        List<String> camel = new ArrayList<>();
        schemas.forEach((name, schema) -> {
            if (schema.getProperties() != null) {
                ((Map<String, Schema>) schema.getProperties())
                        .keySet().stream()
                                .filter(p -> !p.matches("[a-z0-9_]+"))
                                .forEach(p -> camel.add(name + "." + p));
            }
        });
        assertThat(camel).as("property names not in snake_case").isEmpty();
        assertThat(schemas.get("GenerateRequest").getProperties()).containsKeys("max_tokens", "top_p", "stop");
        assertThat(schemas.get("ForecastRequest").getRequired()).contains("series", "horizon");
        assertThat(schemas.get("ForecastRequest").getExample()).isNotNull();
        assertThat(schemas.get("TrainingRequest").getExample()).isNotNull();
    }

    @Test
    void everyOperationDocumentsItsRealStatusesWithTheProblemSchema() {
        List<String> missing = new ArrayList<>();
        openApi.getPaths()
                .forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
                    op.getResponses().forEach((status, response) -> {
                        if (status.startsWith("4") || status.startsWith("5")) {
                            MediaType problem = response.getContent() == null
                                    ? null
                                    : response.getContent().get("application/problem+json");
                            boolean readiness = path.endsWith("/ready") && status.equals("503");
                            if (!readiness
                                    && (problem == null
                                            || !"#/components/schemas/Problem"
                                                    .equals(problem.getSchema().get$ref()))) {
                                missing.add(method + " " + path + " " + status + ": not the Problem schema");
                            }
                        }
                    });
                    boolean hasBody = op.getRequestBody() != null;
                    if (hasBody && !op.getResponses().containsKey("400")) {
                        missing.add(method + " " + path + ": takes a body but documents no 400");
                    }
                }));
        assertThat(missing).isEmpty();
        Operation submit = openApi.getPaths().get("/v1/training-jobs").getPost();
        assertThat(submit.getResponses()).containsKeys("202", "400", "401", "403", "422", "429");
        assertThat(openApi.getPaths()
                        .get("/v1/models/{name}/versions/{version}")
                        .getDelete()
                        .getResponses())
                .containsKeys("204", "404", "409");
        assertThat(openApi.getPaths()
                        .get("/v1/models/{name}/versions/{version}:predict")
                        .getPost()
                        .getResponses())
                .containsKeys("200", "400", "404", "410", "413", "422", "429", "500", "503");
        for (String predict : new String[] {"/v1/models/{name}:predict", "/v2/models/{name}/infer"}) {
            Schema<?> timeout = openApi.getPaths().get(predict).getPost().getParameters().stream()
                    .filter(p -> "Request-Timeout-Ms".equals(p.getName()))
                    .findFirst()
                    .orElseThrow()
                    .getSchema();
            assertThat(timeout.getMinimum()).as(predict).isEqualByComparingTo("1");
            assertThat(timeout.getMaximum()).as(predict).isEqualByComparingTo("600000");
        }
        assertThat(openApi.getPaths()
                        .get("/v1/models/{name}:generate")
                        .getPost()
                        .getResponses()
                        .get("200")
                        .getContent())
                .containsKeys("application/json", "text/event-stream");
        assertThat(openApi.getPaths()
                        .get("/v1/training-jobs/{id}/events")
                        .getGet()
                        .getResponses()
                        .get("200")
                        .getContent())
                .containsOnlyKeys("text/event-stream");
    }

    @Test
    void aForecastFromTheDocumentsExampleAnswersAsDocumented() throws Exception {
        JsonNode answer = tryItOut("/v1/models/{name}:forecast", "200");
        assertThat(answer.at("/forecasts/0/mean")).hasSize(3);
        assertThat(answer.at("/forecasts/0/intervals/95/lower/0").asDouble()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void aGenerationFromTheDocumentsExampleAnswersAsDocumented() throws Exception {
        JsonNode answer = tryItOut("/v1/models/{name}:generate", "200");
        assertThat(answer.get("text").asString())
                .isEqualTo("e so offended the duke\nthat i should help your honour, i wil");
    }

    @Test
    void aTrainingJobFromTheDocumentsExampleAnswersAsDocumentedAndSucceeds() throws Exception {
        JsonNode job = tryItOut("/v1/training-jobs", "202");
        String id = job.get("id").asString();
        long until = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        JsonNode now = job;
        while (!List.of("succeeded", "failed", "cancelled")
                .contains(now.get("status").asString())) {
            assertThat(System.nanoTime()).as("job ends in time: " + now).isLessThan(until);
            Thread.sleep(500);
            now = get(
                    "/v1/training-jobs/" + id,
                    "200",
                    openApi.getPaths().get("/v1/training-jobs/{id}").getGet());
        }
        assertThat(now.get("status").asString()).as(now.toString()).isEqualTo("succeeded");
    }

    /**
     * The request a client knowing only the document makes: the path with each path parameter's example, the
     * body's example as JSON; the status must be the expected documented one and the body must fit its schema.
     */
    private JsonNode tryItOut(String template, String expected) throws Exception {
        PathItem item = openApi.getPaths().get(template);
        Operation op = item.getPost();
        String path = template;
        for (Parameter p : op.getParameters() == null ? List.<Parameter>of() : op.getParameters()) {
            if ("path".equals(p.getIn())) {
                assertThat(p.getExample())
                        .as("example of " + p.getName() + " in " + template)
                        .isNotNull();
                path = path.replace("{" + p.getName() + "}", String.valueOf(p.getExample()));
            }
        }
        MediaType json = op.getRequestBody().getContent().get("application/json");
        Object example = json.getExample() != null
                ? json.getExample()
                : resolve(json.getSchema()).getExample();
        assertThat(example).as("the request body's example of " + template).isNotNull();
        String body = example instanceof String s
                ? s
                : io.swagger.v3.core.util.Json.mapper().writeValueAsString(example);
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(app.uri(path))
                        .header("Content-Type", "application/json")
                        .header("Accept", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return checked(template, op, response, expected);
    }

    private JsonNode get(String path, String expected, Operation op) throws Exception {
        HttpResponse<String> response =
                HTTP.send(HttpRequest.newBuilder(app.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
        return checked(path, op, response, expected);
    }

    private JsonNode checked(String where, Operation op, HttpResponse<String> response, String expected) {
        String status = String.valueOf(response.statusCode());
        assertThat(op.getResponses())
                .as(where + " documents the status it answered: " + response.body())
                .containsKey(status);
        assertThat(status).as(where + ": " + response.body()).isEqualTo(expected);
        ApiResponse documented = op.getResponses().get(status);
        MediaType media = documented.getContent().get("application/json");
        assertThat(media)
                .as(where + " " + status + " documents application/json")
                .isNotNull();
        JsonNode body = JSON.readTree(response.body());
        List<String> errors = new ArrayList<>();
        validate(media.getSchema(), body, "$", errors);
        assertThat(errors)
                .as(where + " answer fits its documented schema: " + response.body())
                .isEmpty();
        return body;
    }

    private Schema<?> resolve(Schema<?> schema) {
        Schema<?> s = schema;
        while (s != null && s.get$ref() != null) {
            String name = s.get$ref().substring(s.get$ref().lastIndexOf('/') + 1);
            s = openApi.getComponents().getSchemas().get(name);
            assertThat(s).as("schema " + name).isNotNull();
        }
        return s;
    }

    /** A strict reading of the schema: types, required members, and no member the schema does not declare. */
    @SuppressWarnings("unchecked")
    private void validate(Schema<?> declared, JsonNode value, String path, List<String> errors) {
        Schema<?> schema = resolve(declared);
        if (schema == null) {
            return;
        }
        if (schema.getOneOf() != null && !schema.getOneOf().isEmpty()) {
            for (Schema<?> branch : schema.getOneOf()) {
                List<String> inner = new ArrayList<>();
                validate(branch, value, path, inner);
                if (inner.isEmpty()) {
                    return;
                }
            }
            errors.add(path + ": fits none of oneOf");
            return;
        }
        if (value.isNull()) {
            return; // absent or null optional members; required ones are checked by their object
        }
        var types = schema.getTypes() != null
                ? schema.getTypes()
                : schema.getType() == null ? null : java.util.Set.of(schema.getType());
        if (types != null && !types.isEmpty() && types.stream().noneMatch(t -> fits(t, value))) {
            errors.add(path + ": " + value.getNodeType() + " is not " + types);
            return;
        }
        if (value.isObject() && schema.getProperties() != null) {
            Map<String, Schema> properties = (Map<String, Schema>) (Map<?, ?>) schema.getProperties();
            if (schema.getRequired() != null) {
                schema.getRequired().stream()
                        .filter(r -> !value.has(r))
                        .forEach(r -> errors.add(path + "." + r + ": required, missing"));
            }
            for (String name : value.propertyNames()) {
                Schema<?> property = properties.get(name);
                if (property == null) {
                    if (schema.getAdditionalProperties() == null) {
                        errors.add(path + "." + name + ": not in the documented schema");
                    }
                } else {
                    validate(property, value.get(name), path + "." + name, errors);
                }
            }
        } else if (value.isObject() && schema.getAdditionalProperties() instanceof Schema<?> each) {
            for (String name : value.propertyNames()) {
                validate(each, value.get(name), path + "." + name, errors);
            }
        } else if (value.isArray() && schema.getItems() != null) {
            for (int i = 0; i < value.size(); i++) {
                validate(schema.getItems(), value.get(i), path + "[" + i + "]", errors);
            }
        }
    }

    private static boolean fits(String type, JsonNode value) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isString();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "null" -> value.isNull();
            default -> true;
        };
    }
}
