package io.seqserve.generation;

import io.seqserve.live.LiveState;
import io.seqserve.live.LiveTensors;
import io.seqserve.runtime.HostTensor;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A text-generation session: the text so far (prompts and continuations, stop strings included, as the model
 * read them), the token ids the model has still to read ({@code ids}: for a stateful model only those not yet in
 * its state, usually the last token generated; for a window or whole-history model the history it re-reads), the
 * model's state, and how often each token occurred (for the repetition penalty, as over one long prompt).
 */
record GenerationSessionState(String text, int[] ids, List<HostTensor> state, int[] seen, long tokens)
        implements LiveState {

    @Override
    public long bytes() {
        long bytes = 128 + 2L * text.length() + 4L * ids.length + 4L * seen.length;
        for (HostTensor t : state) {
            bytes += t.bytes();
        }
        return bytes;
    }

    record Stored(String text, int[] ids, List<JsonNode> state, int[] seen, long tokens) {

        static Stored of(GenerationSessionState s) {
            return new Stored(
                    s.text, s.ids, s.state.stream().map(LiveTensors::encode).toList(), s.seen, s.tokens);
        }

        GenerationSessionState restore() {
            List<HostTensor> tensors = new ArrayList<>();
            state.forEach(t -> tensors.add(LiveTensors.decode(t)));
            return new GenerationSessionState(text, ids, tensors, seen, tokens);
        }
    }
}
