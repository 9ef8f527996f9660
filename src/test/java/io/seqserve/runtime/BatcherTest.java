package io.seqserve.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.Test;

/** How a worker forms batches from its queue: same shape, up to the row limit, the odd one carried over. */
class BatcherTest {

    private final BlockingQueue<InferenceJob> queue = new ArrayBlockingQueue<>(64);

    private static InferenceJob job(int rows, int width) {
        return new InferenceJob(
                List.of(HostTensor.ofFloats(new long[] {rows, width}, new float[rows * width])), Long.MAX_VALUE);
    }

    private Batcher batcher(int maxBatchSize, Duration maxDelay) {
        return new Batcher(queue, new BatchPolicy(maxBatchSize, maxDelay, 64));
    }

    @Test
    void anEmptyQueueGivesAnEmptyBatchAfterTheIdleWait() throws Exception {
        assertThat(batcher(8, Duration.ZERO).next(1)).isEmpty();
    }

    @Test
    void takesEverythingOfTheSameShapeThatIsWaitingUpToTheRowLimit() throws Exception {
        InferenceJob a = job(2, 3);
        InferenceJob b = job(3, 3);
        InferenceJob c = job(3, 3);
        InferenceJob d = job(1, 3);
        queue.addAll(List.of(a, b, c, d));
        Batcher batcher = batcher(7, Duration.ZERO);

        assertThat(batcher.next(1)).containsExactly(a, b);
        assertThat(batcher.hasCarry())
                .as("c would make 8 rows: it starts the next batch")
                .isTrue();
        assertThat(batcher.next(1)).containsExactly(c, d);
        assertThat(batcher.hasCarry()).isFalse();
        assertThat(queue).isEmpty();
    }

    @Test
    void aRequestOfAnotherShapeEndsTheBatchAndStartsTheNextOneInOrder() throws Exception {
        InferenceJob narrow1 = job(1, 1);
        InferenceJob wide = job(1, 2);
        InferenceJob narrow2 = job(1, 1);
        queue.addAll(List.of(narrow1, wide, narrow2));
        Batcher batcher = batcher(8, Duration.ZERO);

        assertThat(batcher.next(1)).containsExactly(narrow1);
        assertThat(batcher.next(1))
                .as("the carried request leads the next batch")
                .containsExactly(wide);
        assertThat(batcher.next(1)).containsExactly(narrow2);
    }

    @Test
    void aRequestLargerThanTheLimitRunsAlone() throws Exception {
        InferenceJob big = job(20, 1);
        InferenceJob small = job(1, 1);
        queue.addAll(List.of(big, small));
        Batcher batcher = batcher(8, Duration.ZERO);

        assertThat(batcher.next(1)).containsExactly(big);
        assertThat(batcher.next(1)).containsExactly(small);
    }

    @Test
    void withADelayItWaitsForRequestsThatArriveAfterTheFirst() throws Exception {
        InferenceJob first = job(1, 1);
        InferenceJob late = job(1, 1);
        queue.add(first);
        Thread producer = new Thread(() -> {
            try {
                Thread.sleep(20);
                queue.add(late);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        producer.start();
        List<InferenceJob> batch = batcher(2, Duration.ofSeconds(10)).next(1);
        producer.join();
        assertThat(batch)
                .as("the batch closes as soon as it is full, long before the delay")
                .containsExactly(first, late);
    }

    @Test
    void withoutADelayItTakesOnlyWhatIsAlreadyQueued() throws Exception {
        InferenceJob first = job(1, 1);
        queue.add(first);
        assertThat(batcher(8, Duration.ZERO).next(1)).containsExactly(first);
    }

    @Test
    void drainingTheCarryHandsItBackOnce() throws Exception {
        queue.addAll(List.of(job(1, 1), job(1, 2)));
        Batcher batcher = batcher(8, Duration.ZERO);
        batcher.next(1);
        assertThat(batcher.drainCarry()).hasSize(1);
        assertThat(batcher.drainCarry()).isEmpty();
        assertThat(batcher.hasCarry()).isFalse();
    }
}
