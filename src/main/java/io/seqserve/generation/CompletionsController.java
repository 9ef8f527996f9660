package io.seqserve.generation;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.seqserve.Failure;
import io.seqserve.registry.ModelRef;
import io.seqserve.web.ProblemResponses;
import io.seqserve.web.SseChannel;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * {@code POST /v1/completions} in OpenAI's shape, so OpenAI clients work unchanged. {@code model} is a
 * model name, or {@code name/versions/n} / {@code name/labels/alias}. Fields OpenAI defines that have no
 * meaning here ({@code user}, {@code presence_penalty}, {@code logit_bias}, ...) are ignored, as are fields
 * this API does not know; those that would change the answer's shape ({@code n}, {@code best_of},
 * {@code echo}, {@code logprobs}, {@code suffix}) are refused unless left at their defaults. The fields it
 * reads are as strictly typed as everywhere else.
 */
@RestController
class CompletionsController {

    /** OpenAI's default {@code max_tokens}. */
    static final int OPENAI_DEFAULT_MAX_TOKENS = 16;

    @JsonIgnoreProperties(ignoreUnknown = true)
    record StreamOptions(Boolean includeUsage) {}

    /** {@code prompt} is a string or a list of one string; {@code stop} a string or a list of them. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @Schema(
            description = "OpenAI's completion request; fields it defines that do not apply here are ignored",
            example = "{\"model\": \"shakespeare-gru\", \"prompt\": \"ROMEO:\", \"max_tokens\": 40,"
                    + " \"temperature\": 0.7, \"seed\": 1}")
    record CompletionRequest(
            @NotBlank(message = "is required") String model,

            @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            @Size(min = 1, max = 1, message = "must be a string or a list of one string (batches are not supported)")
            List<@NotNull String> prompt,

            @Positive(message = "must be between 1 and the configured maximum")
            Integer maxTokens,

            @PositiveOrZero(message = "must be a number >= 0 (0 is greedy)")
            Double temperature,

            @Positive(message = "must be in (0, 1]") @DecimalMax(value = "1", message = "must be in (0, 1]")
            Double topP,

            @PositiveOrZero(message = "must be >= 0 (0 keeps every token)")
            Integer topK,

            @Positive(message = "must be a number > 0 (1 changes nothing)")
            Double repetitionPenalty,

            @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            @Size(
                    max = SamplingParams.MAX_STOP_STRINGS,
                    message = "at most " + SamplingParams.MAX_STOP_STRINGS + " strings")
            List<
                            @NotNull
                            @Size(
                                    min = 1,
                                    max = SamplingParams.MAX_STOP_LENGTH,
                                    message = "must be 1 to " + SamplingParams.MAX_STOP_LENGTH + " characters")
                            String>
                    stop,

            Long seed,
            Boolean stream,
            @Valid StreamOptions streamOptions,
            Integer n,
            Integer bestOf,
            Boolean echo,
            Integer logprobs,
            String suffix) {}

    record Choice(
            String text,
            int index,

            @Schema(implementation = Object.class, nullable = true, description = "always null")
            Object logprobs,

            String finishReason) {}

    @Schema(name = "CompletionUsage")
    record Usage(int promptTokens, int completionTokens, int totalTokens) {}

    record Completion(
            String id,
            String object,
            long created,
            String model,
            List<Choice> choices,
            @JsonInclude(JsonInclude.Include.NON_NULL) Usage usage) {}

    private final GenerationService generation;
    private final ResponseStreams streams;

    CompletionsController(GenerationService generation, ResponseStreams streams) {
        this.generation = generation;
        this.streams = streams;
    }

    @Operation(summary = "OpenAI-compatible completions (stream too)")
    @ApiResponse(
            responseCode = "200",
            description = "a completion; with `stream: true` an event stream of `data: Completion` chunks, then"
                    + " `data: [DONE]`",
            content = {
                @Content(
                        mediaType = MediaType.APPLICATION_JSON_VALUE,
                        schema = @Schema(implementation = Completion.class)),
                @Content(
                        mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
                        schema = @Schema(implementation = Completion.class))
            })
    @ProblemResponses({400, 404, 410, 413, 422, 429, 500, 503})
    @PostMapping(path = "/v1/completions", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ResponseBodyEmitter> complete(@Valid @RequestBody CompletionRequest request) {
        ModelRef ref = modelRef(request.model());
        String prompt = request.prompt() == null ? "" : request.prompt().get(0);
        refuseUnsupported(request);
        GenerationProperties limits = generation.properties();
        SamplingParams params = SamplingParams.of(
                request.maxTokens() == null ? OPENAI_DEFAULT_MAX_TOKENS : request.maxTokens(),
                request.temperature(),
                request.topK(),
                request.topP(),
                request.repetitionPenalty(),
                request.seed(),
                request.stop(),
                limits.defaultMaxTokens(),
                limits.maxTokens());
        String id = "cmpl-" + UUID.randomUUID().toString().replace("-", "");
        long created = Instant.now().getEpochSecond();
        if (!Boolean.TRUE.equals(request.stream())) {
            return streams.json(
                            listener -> generation.start(ref, prompt, params, null, listener),
                            r -> new Completion(
                                    id,
                                    "text_completion",
                                    created,
                                    request.model(),
                                    List.of(new Choice(r.text(), 0, null, finishReason(r))),
                                    usage(r)))
                    .response();
        }
        boolean includeUsage = request.streamOptions() != null
                && Boolean.TRUE.equals(request.streamOptions().includeUsage());
        SseChannel channel = streams.channel();
        Generation started = generation.start(ref, prompt, params, null, new GenerationListener() {
            @Override
            public void onToken(int index, String text) {
                channel.data(chunk(List.of(new Choice(text, 0, null, null)), null));
            }

            @Override
            public void onFinish(GenerationResult result) {
                channel.data(chunk(List.of(new Choice("", 0, null, finishReason(result))), null));
                if (includeUsage) {
                    channel.data(chunk(List.of(), usage(result)));
                }
                channel.done();
            }

            @Override
            public void onError(Failure error) {
                channel.data(new GenerateController.ErrorEvent(GenerateController.Problem.of(error)));
                channel.done();
            }

            private Completion chunk(List<Choice> choices, Usage usage) {
                return new Completion(id, "text_completion", created, request.model(), choices, usage);
            }
        });
        return streams.eventStream(channel, started).response();
    }

    /** OpenAI knows no deadline; a generation cut by it reads as cut by a length limit. */
    private static String finishReason(GenerationResult result) {
        return result.finishReason().equals("deadline") ? "length" : result.finishReason();
    }

    private static Usage usage(GenerationResult r) {
        return new Usage(r.promptTokens(), r.completionTokens(), r.promptTokens() + r.completionTokens());
    }

    private static ModelRef modelRef(String model) {
        String[] parts = model.split("/", -1);
        if (parts.length == 3 && parts[1].equals("versions")) {
            return ModelRef.ofVersion(parts[0], parts[2]);
        }
        if (parts.length == 3 && parts[1].equals("labels")) {
            return ModelRef.ofLabel(parts[0], parts[2]);
        }
        return ModelRef.of(model);
    }

    private static void refuseUnsupported(CompletionRequest r) {
        if (r.n() != null && r.n() != 1) {
            throw Failure.invalid("n", "only 1 completion per request is supported");
        }
        if (r.bestOf() != null && r.bestOf() != 1) {
            throw Failure.invalid("best_of", "only 1 is supported");
        }
        if (Boolean.TRUE.equals(r.echo())) {
            throw Failure.invalid("echo", "is not supported");
        }
        if (r.logprobs() != null) {
            throw Failure.invalid("logprobs", "is not supported");
        }
        if (r.suffix() != null && !r.suffix().isEmpty()) {
            throw Failure.invalid("suffix", "is not supported");
        }
    }
}
