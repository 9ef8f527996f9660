package io.seqserve.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.training.data.DataProperties;
import io.seqserve.training.data.DurableWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Job records survive an upgrade: a request stored after a more lenient binding (a number as a string) still loads. */
class JobStoreTest {

    @TempDir
    Path dir;

    @Test
    void aRecordWrittenByAnOlderVersionLoadsAndARecordWrittenNowRoundTrips() throws Exception {
        Path record =
                Files.createDirectories(dir.resolve("jobs/job_0123456789ab")).resolve("job.json");
        Files.writeString(record, """
                {"id": "job_0123456789ab", "status": "queued", "model_name": "old", "task": "forecasting", "device": "cpu",
                 "history": [], "created_at": "2026-01-02T03:04:05Z",
                 "request": {"model_name": "old", "dataset": {"values": [1, null, 3.5]}, "training": {"epochs": "2"}}}
                """);
        DurableWriter writer = new DurableWriter();
        JobStore store = new JobStore(new DataProperties(dir), writer);
        List<JobView> loaded = store.loadAll();
        assertThat(loaded).singleElement().satisfies(view -> {
            assertThat(view.request().training().epochs()).isEqualTo(2);
            assertThat(view.request().dataset().values().rows())
                    .containsExactly(List.of(1.0), java.util.Collections.singletonList(null), List.of(3.5));
        });

        store.save(loaded.get(0));
        writer.close();
        assertThat(new JobStore(new DataProperties(dir), new DurableWriter()).loadAll())
                .containsExactlyElementsOf(loaded);
        assertThat(Files.readString(record)).contains("\"values\":[1.0,null,3.5]", "\"epochs\":2");
    }
}
