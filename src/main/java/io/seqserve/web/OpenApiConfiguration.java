package io.seqserve.web;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.providers.ObjectMapperProvider;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document ({@code /v3/api-docs}, Swagger UI): title, version and description from the build
 * ({@code META-INF/build-info.properties}); schemas named as the wire names them (snake_case, the names
 * {@link io.seqserve.StrictJson} gives); every problem status an endpoint declares with
 * {@link ProblemResponses}, as the {@code Problem} schema with the problem types of docs/API.md.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String PROBLEM = "Problem";

    /**
     * A series as requests write it: numbers, or rows of numbers (one per time step), {@code null} for a gap.
     * Fields read by a streaming deserializer refer to it: {@code @Schema(ref = "#/components/schemas/NumbersOrRows")}.
     */
    static final String NUMBERS_OR_ROWS = "NumbersOrRows";

    private static final String PROBLEM_REF = "#/components/schemas/" + PROBLEM;

    /** What each problem status means here; the {@code type} says more (docs/API.md, Problem types). */
    private static final Map<Integer, String> MEANINGS = Map.ofEntries(
            Map.entry(
                    400,
                    "Invalid request (`urn:seqserve:problem:invalid`): malformed JSON, a field of the wrong type, out"
                            + " of range or unknown; `errors` names each field"),
            Map.entry(401, "No bearer token, and this server has one configured (`about:blank`)"),
            Map.entry(
                    403, "A wrong bearer token, or a caller off loopback while no token is configured (`about:blank`)"),
            Map.entry(404, "`model-not-found`, `version-not-found`, or `not-found` (no such job or data set)"),
            Map.entry(409, "`conflict`: the request contradicts the current state"),
            Map.entry(410, "`version-not-loaded`: the version exists but is not loaded; label it to load it"),
            Map.entry(413, "`too-large`: a body, series, tensor or archive over a configured limit"),
            Map.entry(
                    422,
                    "Well-formed but unusable for this model: `series-too-short`, `horizon-too-long`, `wrong-task`,"
                            + " `input-mismatch`, `unknown-token`, `version-failed`, `unprocessable`"),
            Map.entry(429, "`capacity`: queues or slots are full; retry after `Retry-After` seconds"),
            Map.entry(
                    500,
                    "`engine`: the model or its engine failed on input that passed every check; `internal`: a bug"),
            Map.entry(
                    503,
                    "`version-loading` (retry after `Retry-After`), `unavailable` (not ready, or the host cannot run"
                            + " the model), `deadline` (waited past `Request-Timeout-Ms`)"));

    @Bean
    OpenAPI seqserveOpenApi(ObjectProvider<BuildProperties> build) {
        BuildProperties properties = build.getIfAvailable();
        String version = properties == null ? "unknown" : properties.getVersion();
        String description = properties == null ? null : properties.get("description");
        return new OpenAPI()
                .info(new Info()
                        .title(properties == null ? "seqserve" : properties.getName())
                        .version(version)
                        .description((description == null ? "" : description + ". ")
                                + "Errors are RFC 9457 problem details (`application/problem+json`) whose `type`"
                                + " clients can branch on; see docs/API.md."))
                .components(new Components()
                        .addSchemas(PROBLEM, problemSchema())
                        .addSchemas(NUMBERS_OR_ROWS, numbersOrRows()));
    }

    /** Schemas from the records, named as the JSON names them: snake_case ({@code max_tokens}, not {@code maxTokens}). */
    @Bean
    ModelResolver snakeCaseModelResolver(ObjectMapperProvider mappers) {
        return new ModelResolver(
                mappers.jsonMapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
    }

    /**
     * A {@code Map<String, Object>} (metrics, search parameters, V2 parameters) holds any JSON values, not only
     * objects, which is what the generated {@code additionalProperties: {type: object}} would say.
     */
    @Bean
    OpenApiCustomizer anyValuedMaps() {
        return openApi -> {
            if (openApi.getComponents() != null && openApi.getComponents().getSchemas() != null) {
                openApi.getComponents().getSchemas().values().forEach(OpenApiConfiguration::anyValues);
            }
        };
    }

    @SuppressWarnings("rawtypes")
    private static void anyValues(Schema<?> schema) {
        if (schema == null) {
            return;
        }
        if (schema.getAdditionalProperties() instanceof Schema values) {
            boolean bareObject = values.get$ref() == null
                    && values.getProperties() == null
                    && values.getAdditionalProperties() == null
                    && (java.util.Set.of("object").equals(values.getTypes()) || "object".equals(values.getType()));
            if (bareObject) {
                schema.setAdditionalProperties(true);
            } else {
                anyValues(values);
            }
        }
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(OpenApiConfiguration::anyValues);
        }
        if (schema.getItems() != null) {
            anyValues(schema.getItems());
        }
    }

    @Bean
    OperationCustomizer problemResponses() {
        return (operation, handler) -> {
            ProblemResponses declared = handler.getMethodAnnotation(ProblemResponses.class);
            if (declared == null) {
                return operation;
            }
            ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
            if (declared.write()) {
                add(responses, 401);
                add(responses, 403);
            }
            for (int status : declared.value()) {
                add(responses, status);
            }
            operation.setResponses(responses);
            return operation;
        };
    }

    private static void add(ApiResponses responses, int status) {
        responses.addApiResponse(
                String.valueOf(status),
                new ApiResponse()
                        .description(MEANINGS.getOrDefault(status, "a problem"))
                        .content(new Content()
                                .addMediaType(
                                        "application/problem+json",
                                        new MediaType().schema(new Schema<>().$ref(PROBLEM_REF)))));
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Schema<?> numbersOrRows() {
        Schema number = new Schema<>().types(java.util.Set.of("number", "null"));
        Schema row = new ArraySchema().items(new Schema<>().types(java.util.Set.of("number", "null")));
        return new ArraySchema()
                .items(new Schema<>().oneOf(List.of(number, row)))
                .minItems(1)
                .description("oldest first: numbers (one feature), or rows of numbers, one per time step in the"
                        + " model's feature order; null marks a missing value")
                .example(List.of(154.6, 140.4, 115.9));
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Schema<?> problemSchema() {
        Schema fieldError = new ObjectSchema()
                .addProperty(
                        "field",
                        new StringSchema()
                                .description("the field as the request writes it")
                                .example("series[0].values[3]"))
                .addProperty(
                        "message",
                        new StringSchema().description("what is wrong with it").example("must be a finite number"));
        return new ObjectSchema()
                .description("An RFC 9457 problem. `type` is one of the problem types of docs/API.md"
                        + " (`urn:seqserve:problem:...`), or `about:blank` for errors of HTTP itself.")
                .addProperty("type", new StringSchema().format("uri").example("urn:seqserve:problem:series-too-short"))
                .addProperty("title", new StringSchema().example("Series too short"))
                .addProperty("status", new IntegerSchema().example(422))
                .addProperty(
                        "detail",
                        new StringSchema()
                                .example("series[0].values: has 3 values; model 'sunspots-lstm' reads a window of 24"))
                .addProperty(
                        "instance",
                        new StringSchema().format("uri-reference").example("/v1/models/sunspots-lstm:forecast"))
                .addProperty(
                        "errors",
                        new ArraySchema().items(fieldError).description("for validation: one entry per field"))
                .required(List.of("type", "title", "status"));
    }
}
