package io.seqserve.generation;

import io.seqserve.Failure;
import io.seqserve.web.Problems;
import io.seqserve.web.SseChannel;
import io.seqserve.registry.ModelRef;
import io.seqserve.registry.RequestTimeout;

import tools.jackson.databind.JsonNode;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

import java.time.Duration;

/** {@code POST /v1/models/{ref}:generate}: one JSON answer, or token events with {@code "stream": true}. */
@RestController
class GenerateController {

    /** Shortens the generation's deadline for this request, as it bounds queueing on {@code :predict}. */
    static final String TIMEOUT_HEADER = RequestTimeout.HEADER;

    record GenerateRequest(String prompt, Integer maxTokens, Double temperature, Integer topK, Double topP,
            Double repetitionPenalty, Long seed, JsonNode stop, Boolean stream) {}

    record Usage(int promptTokens, int completionTokens) {}

    record GenerateResponse(String model, long version, String text, String finishReason, Usage usage) {}

    record TokenEvent(String token, int index) {}

    record FinishEvent(String finishReason, Usage usage) {}

    record ErrorEvent(Problem error) {}

    record Problem(int status, String title, String detail) {}

    private final GenerationService generation;
    private final ResponseStreams streams;

    GenerateController(GenerationService generation, ResponseStreams streams) {
        this.generation = generation;
        this.streams = streams;
    }

    @PostMapping(path = "/v1/models/{name}:generate", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ResponseBodyEmitter> generate(@PathVariable String name, @RequestBody JsonNode body,
            @RequestHeader(name = TIMEOUT_HEADER, required = false) Long timeoutMs) {
        return handle(ModelRef.of(name), body, timeoutMs);
    }

    @PostMapping(path = "/v1/models/{name}/versions/{version}:generate", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ResponseBodyEmitter> generateVersion(@PathVariable String name, @PathVariable String version,
            @RequestBody JsonNode body, @RequestHeader(name = TIMEOUT_HEADER, required = false) Long timeoutMs) {
        return handle(ModelRef.ofVersion(name, version), body, timeoutMs);
    }

    @PostMapping(path = "/v1/models/{name}/labels/{label}:generate", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ResponseBodyEmitter> generateLabel(@PathVariable String name, @PathVariable String label,
            @RequestBody JsonNode body, @RequestHeader(name = TIMEOUT_HEADER, required = false) Long timeoutMs) {
        return handle(ModelRef.ofLabel(name, label), body, timeoutMs);
    }

    private ResponseEntity<ResponseBodyEmitter> handle(ModelRef ref, JsonNode body, Long timeoutMs) {
        Duration timeout = RequestTimeout.parse(timeoutMs);
        GenerateRequest request = Requests.read(Requests.STRICT, body, GenerateRequest.class);
        if (request.prompt() == null) {
            throw Failure.invalid("prompt", "is required");
        }
        GenerationProperties limits = generation.properties();
        SamplingParams params = SamplingParams.of(request.maxTokens(), request.temperature(), request.topK(), request.topP(),
                request.repetitionPenalty(), request.seed(), Requests.stop(request.stop()), limits.defaultMaxTokens(),
                limits.maxTokens());
        if (!Boolean.TRUE.equals(request.stream())) {
            return streams.json(listener -> generation.start(ref, request.prompt(), params, timeout, listener),
                    r -> new GenerateResponse(r.model(), r.version(), r.text(), r.finishReason(),
                            new Usage(r.promptTokens(), r.completionTokens())));
        }
        SseChannel channel = streams.channel();
        Generation started = generation.start(ref, request.prompt(), params, timeout, new GenerationListener() {
            @Override
            public void onToken(int index, String text) {
                channel.data(new TokenEvent(text, index));
            }

            @Override
            public void onFinish(GenerationResult result) {
                channel.data(new FinishEvent(result.finishReason(), new Usage(result.promptTokens(), result.completionTokens())));
                channel.done();
            }

            @Override
            public void onError(Failure error) {
                channel.data(new ErrorEvent(new Problem(Problems.status(error.kind()), Problems.title(error.kind()), error.getMessage())));
                channel.done();
            }
        });
        return streams.eventStream(channel, started);
    }
}
