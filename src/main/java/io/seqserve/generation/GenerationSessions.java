package io.seqserve.generation;

import io.seqserve.Failure;
import io.seqserve.StrictJson;
import io.seqserve.inference.ForwardPass;
import io.seqserve.live.LiveState;
import io.seqserve.live.LiveTask;
import io.seqserve.live.SessionRequest;
import io.seqserve.registry.ModelVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Text-generation sessions: a text the model has read, carried between calls. {@code :generate} and
 * {@code /v1/completions} with {@code "session"} continue it from its stored state without re-reading it, and
 * append their prompt and continuation to it ({@link GenerationService}). Opening one reads nothing yet: the
 * first continuation reads the initial text with its prompt, in one pass.
 */
@Component
class GenerationSessions implements LiveTask {

    /** The view's task part. */
    record View(String text, long tokens, boolean stateful) {}

    private final GenerationProperties properties;

    GenerationSessions(GenerationProperties properties) {
        this.properties = properties;
    }

    @Override
    public String task() {
        return "text-generation";
    }

    @Override
    public CompletableFuture<LiveState> open(ModelVersion version, ForwardPass passes, SessionRequest request) {
        refuse("history", request.history() != null);
        refuse("future", request.future() != null);
        refuse("horizon", request.horizon() != null);
        refuse("level", request.level() != null);
        refuse("fill", request.fill() != null);
        String text = request.text() == null ? "" : request.text();
        if (text.length() > properties.maxPromptLength()) {
            throw Failure.invalid("text", "longer than " + properties.maxPromptLength() + " characters");
        }
        GenerationModel model = GenerationModel.of(version);
        int[] ids = model.tokenizer.encode(text);
        int[] seen = new int[model.tokenizer.vocabularySize()];
        for (int id : ids) {
            seen[id]++;
        }
        List<io.seqserve.runtime.HostTensor> state = new ArrayList<>();
        for (GenerationModel.StateSlot slot : model.states) {
            state.add(Tensors.zeros(slot.dtype(), slot.shape()));
        }
        return CompletableFuture.completedFuture(new GenerationSessionState(text, ids, state, seen, ids.length));
    }

    @Override
    public Object view(LiveState state) {
        GenerationSessionState s = (GenerationSessionState) state;
        return new View(s.text(), s.tokens(), !s.state().isEmpty());
    }

    @Override
    public JsonNode encode(LiveState state) {
        return StrictJson.MAPPER.valueToTree(GenerationSessionState.Stored.of((GenerationSessionState) state));
    }

    @Override
    public LiveState decode(JsonNode data) {
        return StrictJson.MAPPER
                .treeToValue(data, GenerationSessionState.Stored.class)
                .restore();
    }

    private static void refuse(String field, boolean given) {
        if (given) {
            throw Failure.invalid(field, "is for forecasting sessions; this model generates text (give 'text')");
        }
    }
}
