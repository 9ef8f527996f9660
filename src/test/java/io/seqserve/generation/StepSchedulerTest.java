package io.seqserve.generation;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.DataType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.seqserve.Failure;
import io.seqserve.inference.ForwardPass;
import io.seqserve.runtime.HostTensor;
import io.seqserve.runtime.NamedThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The lock-step decoding loop against a stand-in model on a thread of its own: the next token of t is
 * t + 1 (mod 7). Which streams share a pass, how many rows a pass carries, and how a failed pass or a
 * cancelled stream ends only its own streams.
 */
class StepSchedulerTest {

    private static final List<String> VOCAB = List.of("a", "b", "c", "d", "e", "f", "g");
    private static final Tokenizer TOKENIZER = new Tokenizer(new Vocabulary(VOCAB), false, false, -1);

    private final ExecutorService worker = NamedThreads.fixed("fake-worker", 1);
    private final GenerationMetrics.ForModel metrics = new GenerationMetrics(new SimpleMeterRegistry()).forModel("m");
    /** Rows and width of every pass the model ran. */
    private final List<long[]> passes = Collections.synchronizedList(new ArrayList<>());

    private final AtomicInteger ended = new AtomicInteger();

    @AfterEach
    void stop() {
        NamedThreads.shutdown(worker, Duration.ofSeconds(5));
    }

    /** Reads the whole window (or history) and scores every position ({@code perPosition}) or only the last. */
    private ForwardPass model(boolean perPosition, int failOnToken) {
        return inputs -> {
            HostTensor tokens = inputs.get(0);
            int rows = (int) tokens.dim(0);
            int width = (int) tokens.dim(1);
            passes.add(new long[] {rows, width});
            return CompletableFuture.supplyAsync(
                    () -> {
                        int steps = perPosition ? width : 1;
                        float[] logits = new float[rows * steps * VOCAB.size()];
                        for (int r = 0; r < rows; r++) {
                            for (int s = 0; s < steps; s++) {
                                int token = (int) tokens.getLong((long) r * width + (perPosition ? s : width - 1));
                                if (token == failOnToken) {
                                    throw Failure.engine("token " + token + " seen", null);
                                }
                                logits[(r * steps + s) * VOCAB.size() + (token + 1) % VOCAB.size()] = 10;
                            }
                        }
                        long[] shape =
                                perPosition ? new long[] {rows, steps, VOCAB.size()} : new long[] {rows, VOCAB.size()};
                        return List.of(HostTensor.ofFloats(shape, logits));
                    },
                    worker);
        };
    }

    private static GenerationModel fixedWindow(int context) {
        return new GenerationModel(TOKENIZER, 1, 0, DataType.INT64, context, false, 0, false, 0, false, List.of());
    }

    private static GenerationModel wholeHistory(boolean rightPadding) {
        return new GenerationModel(TOKENIZER, 1, 0, DataType.INT64, 0, false, 0, rightPadding, 0, false, List.of());
    }

    /** What one stream heard. */
    private static final class Heard implements GenerationListener {
        final StringBuilder text = new StringBuilder();
        volatile GenerationResult result;
        volatile Failure error;

        @Override
        public void onToken(int index, String token) {
            text.append(token);
        }

        @Override
        public void onFinish(GenerationResult r) {
            result = r;
        }

        @Override
        public void onError(Failure e) {
            error = e;
        }
    }

    private Generation stream(GenerationModel model, ForwardPass pass, String prompt, int maxTokens, Heard heard) {
        SamplingParams params = SamplingParams.of(maxTokens, 0.0, null, null, null, null, List.of(), 10, 100);
        return new Generation(
                model,
                prompt,
                TOKENIZER.encode(prompt),
                params,
                pass,
                "m",
                1,
                heard,
                metrics,
                System.nanoTime() + Duration.ofMinutes(1).toNanos(),
                ended::incrementAndGet,
                null,
                null);
    }

    @Test
    void streamsOfOneShapeShareEveryPass() {
        StepScheduler scheduler = new StepScheduler(metrics, 64);
        ForwardPass pass = model(false, -1);
        Heard one = new Heard();
        Heard two = new Heard();
        Heard three = new Heard();
        assertThat(scheduler.add(stream(fixedWindow(3), pass, "a", 4, one)))
                .as("the first stream starts the loop")
                .isTrue();
        assertThat(scheduler.add(stream(fixedWindow(3), pass, "cd", 4, two)))
                .as("later ones join it")
                .isFalse();
        scheduler.add(stream(fixedWindow(3), pass, "g", 4, three));
        scheduler.run();

        assertThat(one.text).hasToString("bcde");
        assertThat(two.text).hasToString("efga");
        assertThat(three.text).hasToString("abcd");
        assertThat(one.result.finishReason()).isEqualTo("length");
        assertThat(passes).hasSize(4).allSatisfy(p -> assertThat(p).containsExactly(3, 3));
        assertThat(ended).hasValue(3);
        assertThat(scheduler.add(stream(fixedWindow(3), pass, "a", 1, new Heard())))
                .as("an idle loop starts again")
                .isTrue();
    }

    @Test
    void aPassCarriesAtMostMaxRowsStreams() {
        StepScheduler scheduler = new StepScheduler(metrics, 2);
        ForwardPass pass = model(false, -1);
        for (int i = 0; i < 5; i++) {
            scheduler.add(stream(fixedWindow(2), pass, "a", 3, new Heard()));
        }
        scheduler.run();
        assertThat(passes).hasSize(3 * 3);
        assertThat(passes.stream().mapToLong(p -> p[0]).max().orElseThrow()).isEqualTo(2);
    }

    @Test
    void closeLengthsArePaddedIntoOnePassAndEachRowIsReadAtItsOwnEnd() {
        StepScheduler scheduler = new StepScheduler(metrics, 64);
        ForwardPass pass = model(true, -1);
        Heard shortPrompt = new Heard();
        Heard longPrompt = new Heard();
        scheduler.add(stream(wholeHistory(true), pass, "a", 2, shortPrompt));
        scheduler.add(stream(wholeHistory(true), pass, "bcd", 2, longPrompt));
        scheduler.run();

        assertThat(shortPrompt.text).hasToString("bc");
        assertThat(longPrompt.text).hasToString("ef");
        assertThat(passes).hasSize(2).allSatisfy(p -> assertThat(p[0]).isEqualTo(2));
        assertThat(passes.get(0)[1]).as("right-padded to the longest row").isEqualTo(3);
    }

    @Test
    void rowsThatCannotBePaddedRunAsPassesOfTheirOwnLength() {
        StepScheduler scheduler = new StepScheduler(metrics, 64);
        ForwardPass pass = model(false, -1);
        scheduler.add(stream(wholeHistory(false), pass, "a", 2, new Heard()));
        scheduler.add(stream(wholeHistory(false), pass, "bcd", 2, new Heard()));
        scheduler.run();
        assertThat(passes).hasSize(4).allSatisfy(p -> assertThat(p[0]).isEqualTo(1));
    }

    @Test
    void aFailedPassEndsItsStreamsWithTheFailureAndTheOthersGoOn() {
        StepScheduler scheduler = new StepScheduler(metrics, 1);
        ForwardPass pass = model(false, 3);
        Heard failing = new Heard();
        Heard healthy = new Heard();
        scheduler.add(stream(fixedWindow(1), pass, "b", 5, failing));
        scheduler.add(stream(fixedWindow(1), pass, "e", 5, healthy));
        scheduler.run();

        assertThat(failing.text).as("c, d generated; the pass reading d fails").hasToString("cd");
        assertThat(failing.error.kind()).isEqualTo(Failure.Kind.ENGINE);
        assertThat(failing.result).isNull();
        assertThat(healthy.text).hasToString("fgabc");
        assertThat(healthy.error).isNull();
        assertThat(ended).hasValue(2);
    }

    @Test
    void aCancelledStreamStopsAtTheNextStepWithoutAnAnswer() {
        StepScheduler scheduler = new StepScheduler(metrics, 64);
        Heard heard = new Heard();
        Generation cancelled = stream(fixedWindow(2), model(false, -1), "a", 50, heard);
        cancelled.cancel();
        scheduler.add(cancelled);
        scheduler.run();
        assertThat(heard.result).isNull();
        assertThat(heard.error).isNull();
        assertThat(passes).isEmpty();
        assertThat(ended).hasValue(1);
    }
}
