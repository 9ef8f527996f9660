package io.seqserve.generation;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.seqserve.Failure;
import io.seqserve.web.Problems;
import io.seqserve.web.SseChannel;
import io.seqserve.registry.ModelRef;

import tools.jackson.databind.JsonNode;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@code POST /v1/completions} in OpenAI's shape, so OpenAI clients work unchanged. {@code model} is a
 * model name, or {@code name/versions/n} / {@code name/labels/alias}. Fields OpenAI defines that have no
 * meaning here are ignored; those that would change the answer's shape ({@code n}, {@code best_of},
 * {@code echo}, {@code logprobs}, {@code suffix}) are refused unless left at their defaults.
 */
@RestController
class CompletionsController {

    /** OpenAI's default {@code max_tokens}. */
    static final int OPENAI_DEFAULT_MAX_TOKENS = 16;

    record StreamOptions(Boolean includeUsage) {}

    record CompletionRequest(String model, JsonNode prompt, Integer maxTokens, Double temperature, Double topP, Integer topK,
            Double repetitionPenalty, JsonNode stop, Long seed, Boolean stream, StreamOptions streamOptions, Integer n,
            Integer bestOf, Boolean echo, Integer logprobs, String suffix) {}

    record Choice(String text, int index, Object logprobs, String finishReason) {}

    record Usage(int promptTokens, int completionTokens, int totalTokens) {}

    record Completion(String id, String object, long created, String model, List<Choice> choices,
            @JsonInclude(JsonInclude.Include.NON_NULL) Usage usage) {}

    private final GenerationService generation;
    private final ResponseStreams streams;

    CompletionsController(GenerationService generation, ResponseStreams streams) {
        this.generation = generation;
        this.streams = streams;
    }

    @PostMapping(path = "/v1/completions", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ResponseBodyEmitter> complete(@RequestBody JsonNode body) {
        CompletionRequest request = Requests.read(Requests.LENIENT, body, CompletionRequest.class);
        ModelRef ref = modelRef(request.model());
        String prompt = prompt(request.prompt());
        refuseUnsupported(request);
        GenerationProperties limits = generation.properties();
        SamplingParams params = SamplingParams.of(request.maxTokens() == null ? OPENAI_DEFAULT_MAX_TOKENS : request.maxTokens(),
                request.temperature(), request.topK(), request.topP(), request.repetitionPenalty(), request.seed(),
                Requests.stop(request.stop()), limits.defaultMaxTokens(), limits.maxTokens());
        String id = "cmpl-" + UUID.randomUUID().toString().replace("-", "");
        long created = Instant.now().getEpochSecond();
        if (!Boolean.TRUE.equals(request.stream())) {
            return streams.json(listener -> generation.start(ref, prompt, params, null, listener), r -> new Completion(id,
                    "text_completion", created, request.model(), List.of(new Choice(r.text(), 0, null, finishReason(r))),
                    usage(r)));
        }
        boolean includeUsage = request.streamOptions() != null && Boolean.TRUE.equals(request.streamOptions().includeUsage());
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
                channel.data(new GenerateController.ErrorEvent(new GenerateController.Problem(Problems.status(error.kind()), Problems.title(error.kind()),
                        error.getMessage())));
                channel.done();
            }

            private Completion chunk(List<Choice> choices, Usage usage) {
                return new Completion(id, "text_completion", created, request.model(), choices, usage);
            }
        });
        return streams.eventStream(channel, started);
    }

    /** OpenAI knows no deadline; a generation cut by it reads as cut by a length limit. */
    private static String finishReason(GenerationResult result) {
        return result.finishReason().equals("deadline") ? "length" : result.finishReason();
    }

    private static Usage usage(GenerationResult r) {
        return new Usage(r.promptTokens(), r.completionTokens(), r.promptTokens() + r.completionTokens());
    }

    private static ModelRef modelRef(String model) {
        if (model == null || model.isBlank()) {
            throw Failure.invalid("model", "is required");
        }
        String[] parts = model.split("/", -1);
        if (parts.length == 3 && parts[1].equals("versions")) {
            return ModelRef.ofVersion(parts[0], parts[2]);
        }
        if (parts.length == 3 && parts[1].equals("labels")) {
            return ModelRef.ofLabel(parts[0], parts[2]);
        }
        return ModelRef.of(model);
    }

    /** A string, or a list holding one string. */
    private static String prompt(JsonNode prompt) {
        if (prompt != null && prompt.isArray() && prompt.size() == 1) {
            prompt = prompt.get(0);
        }
        if (prompt == null || prompt.isNull()) {
            return "";
        }
        if (!prompt.isString()) {
            throw Failure.invalid("prompt", "must be a string or a list of one string (token-id prompts and batches are not supported)");
        }
        return prompt.asString();
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
