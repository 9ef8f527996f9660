package io.seqserve.generation;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.seqserve.Failure;
import io.seqserve.registry.ModelRef;
import io.seqserve.web.ProblemResponses;
import io.seqserve.web.Problems;
import io.seqserve.web.RequestTimeout;
import io.seqserve.web.SseChannel;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/** {@code POST /v1/models/{ref}:generate}: one JSON answer, or token events with {@code "stream": true}. */
@RestController
class GenerateController {

    private static final String TIMEOUT = RequestTimeout.HEADER;

    /**
     * The body; ranges that depend on configuration ({@code max_tokens}, the prompt's length) are checked by
     * the service. {@code stop} is one string or a list of them.
     */
    @Schema(
            description = "A prompt and how to sample its continuation; `stream: true` answers token events",
            example = "{\"prompt\": \"To be or not to b\", \"max_tokens\": 60, \"temperature\": 0}")
    record GenerateRequest(
            @NotNull(message = "is required")
            @Schema(description = "the text to continue (at most seqserve.generation.max-prompt-length characters)")
            String prompt,

            @Positive(message = "must be between 1 and the configured maximum")
            @Schema(description = "tokens to generate at most (default 100, at most seqserve.generation.max-tokens)")
            Integer maxTokens,

            @PositiveOrZero(message = "must be a number >= 0 (0 is greedy)")
            @Schema(description = "0 is greedy; default 1")
            Double temperature,

            @PositiveOrZero(message = "must be >= 0 (0 keeps every token)")
            @Schema(description = "sample among the k likeliest tokens (0: all)")
            Integer topK,

            @Positive(message = "must be in (0, 1]") @DecimalMax(value = "1", message = "must be in (0, 1]")
            Double topP,

            @Positive(message = "must be a number > 0 (1 changes nothing)")
            Double repetitionPenalty,

            @Schema(description = "same seed, same request, same text")
            Long seed,

            @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            @Schema(description = "strings that end the text before them (one string or a list)")
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

            @Schema(description = "answer `text/event-stream`: one event per token, then the finish event, then [DONE]")
            Boolean stream) {}

    /** {@code completion_tokens} counts the tokens sent, not those a stop string cut away. */
    record Usage(int promptTokens, int completionTokens) {}

    record GenerateResponse(String model, long version, String text, String finishReason, Usage usage) {}

    @Schema(description = "`data:` of one token event of the stream")
    record TokenEvent(String token, int index) {}

    @Schema(description = "`data:` of the stream's last event before `data: [DONE]`")
    record FinishEvent(
            @Schema(allowableValues = {"length", "stop", "deadline"})
            String finishReason,

            Usage usage) {}

    @Schema(
            description =
                    "`data:` of the last event before `data: [DONE]` when the generation failed after the stream began")
    record ErrorEvent(
            @Schema(ref = "#/components/schemas/Problem") Problem error) {}

    /** A failure after the stream started, as the last event: the problem the response would have been. */
    @Schema(hidden = true)
    record Problem(String type, int status, String title, String detail) {

        static Problem of(Failure error) {
            return new Problem(
                    Problems.type(error).toString(),
                    Problems.status(error.kind()),
                    Problems.title(error),
                    error.getMessage());
        }
    }

    private final GenerationService generation;
    private final ResponseStreams streams;

    GenerateController(GenerationService generation, ResponseStreams streams) {
        this.generation = generation;
        this.streams = streams;
    }

    @Operation(summary = "Generate text: one JSON answer, or token events (Server-Sent Events) with stream: true")
    @ApiResponse(
            responseCode = "200",
            description = "the continuation; with `stream: true` an event stream: `data: TokenEvent` per token,"
                    + " `data: FinishEvent` (or `data: ErrorEvent`), then `data: [DONE]`",
            content = {
                @Content(
                        mediaType = MediaType.APPLICATION_JSON_VALUE,
                        schema = @Schema(implementation = GenerateResponse.class)),
                @Content(
                        mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
                        schema = @Schema(oneOf = {TokenEvent.class, FinishEvent.class, ErrorEvent.class}))
            })
    @ProblemResponses({400, 404, 410, 413, 422, 429, 500, 503})
    @PostMapping(path = "/v1/models/{name}:generate", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ResponseBodyEmitter> generate(
            @Parameter(example = "shakespeare-gru") @PathVariable String name,
            @Valid @RequestBody GenerateRequest body,
            @RequestHeader(name = TIMEOUT, required = false) @Min(RequestTimeout.MIN_MS) @Max(RequestTimeout.MAX_MS)
                    Long timeoutMs) {
        return handle(ModelRef.of(name), body, timeoutMs);
    }

    @Operation(summary = "Generate text: one JSON answer, or token events (Server-Sent Events) with stream: true")
    @ApiResponse(
            responseCode = "200",
            description = "the continuation; with `stream: true` an event stream: `data: TokenEvent` per token,"
                    + " `data: FinishEvent` (or `data: ErrorEvent`), then `data: [DONE]`",
            content = {
                @Content(
                        mediaType = MediaType.APPLICATION_JSON_VALUE,
                        schema = @Schema(implementation = GenerateResponse.class)),
                @Content(
                        mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
                        schema = @Schema(oneOf = {TokenEvent.class, FinishEvent.class, ErrorEvent.class}))
            })
    @ProblemResponses({400, 404, 410, 413, 422, 429, 500, 503})
    @PostMapping(path = "/v1/models/{name}/versions/{version}:generate", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ResponseBodyEmitter> generateVersion(
            @Parameter(example = "shakespeare-gru") @PathVariable String name,
            @PathVariable String version,
            @Valid @RequestBody GenerateRequest body,
            @RequestHeader(name = TIMEOUT, required = false) @Min(RequestTimeout.MIN_MS) @Max(RequestTimeout.MAX_MS)
                    Long timeoutMs) {
        return handle(ModelRef.ofVersion(name, version), body, timeoutMs);
    }

    @Operation(summary = "Generate text: one JSON answer, or token events (Server-Sent Events) with stream: true")
    @ApiResponse(
            responseCode = "200",
            description = "the continuation; with `stream: true` an event stream: `data: TokenEvent` per token,"
                    + " `data: FinishEvent` (or `data: ErrorEvent`), then `data: [DONE]`",
            content = {
                @Content(
                        mediaType = MediaType.APPLICATION_JSON_VALUE,
                        schema = @Schema(implementation = GenerateResponse.class)),
                @Content(
                        mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
                        schema = @Schema(oneOf = {TokenEvent.class, FinishEvent.class, ErrorEvent.class}))
            })
    @ProblemResponses({400, 404, 410, 413, 422, 429, 500, 503})
    @PostMapping(path = "/v1/models/{name}/labels/{label}:generate", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ResponseBodyEmitter> generateLabel(
            @Parameter(example = "shakespeare-gru") @PathVariable String name,
            @PathVariable String label,
            @Valid @RequestBody GenerateRequest body,
            @RequestHeader(name = TIMEOUT, required = false) @Min(RequestTimeout.MIN_MS) @Max(RequestTimeout.MAX_MS)
                    Long timeoutMs) {
        return handle(ModelRef.ofLabel(name, label), body, timeoutMs);
    }

    private ResponseEntity<ResponseBodyEmitter> handle(ModelRef ref, GenerateRequest request, Long timeoutMs) {
        Duration timeout = RequestTimeout.of(timeoutMs);
        GenerationProperties limits = generation.properties();
        SamplingParams params = SamplingParams.of(
                request.maxTokens(),
                request.temperature(),
                request.topK(),
                request.topP(),
                request.repetitionPenalty(),
                request.seed(),
                request.stop(),
                limits.defaultMaxTokens(),
                limits.maxTokens());
        if (!Boolean.TRUE.equals(request.stream())) {
            return streams.json(
                            listener -> generation.start(ref, request.prompt(), params, timeout, listener),
                            r -> new GenerateResponse(
                                    r.model(),
                                    r.version(),
                                    r.text(),
                                    r.finishReason(),
                                    new Usage(r.promptTokens(), r.completionTokens())))
                    .response();
        }
        SseChannel channel = streams.channel();
        Generation started = generation.start(ref, request.prompt(), params, timeout, new GenerationListener() {
            @Override
            public void onToken(int index, String text) {
                channel.data(new TokenEvent(text, index));
            }

            @Override
            public void onFinish(GenerationResult result) {
                channel.data(new FinishEvent(
                        result.finishReason(), new Usage(result.promptTokens(), result.completionTokens())));
                channel.done();
            }

            @Override
            public void onError(Failure error) {
                channel.data(new ErrorEvent(Problem.of(error)));
                channel.done();
            }
        });
        return streams.eventStream(channel, started).response();
    }
}
