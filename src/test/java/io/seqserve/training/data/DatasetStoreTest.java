package io.seqserve.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seqserve.Failure;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/** The store's own guarantees: the size cap, nothing left behind by a refused upload, data sets survive a restart. */
class DatasetStoreTest {

    @TempDir
    Path dir;

    private DatasetStore store(long maxBytes) {
        return new DatasetStore(new DataProperties(dir), DataSize.ofBytes(maxBytes));
    }

    @Test
    void anUploadOverTheCapIs413AndLeavesNothing() throws Exception {
        DatasetStore store = store(16);
        assertThatThrownBy(() -> store.create(null, Dataset.TEXT, stream("this text is longer than sixteen bytes")))
                .isInstanceOfSatisfying(Failure.class, e -> assertThat(e.kind()).isEqualTo(Failure.Kind.TOO_LARGE));
        assertThatThrownBy(() -> store.create(null, Dataset.CSV, stream("a,b\n1\n")))
                .isInstanceOfSatisfying(Failure.class, e -> assertThat(e.kind()).isEqualTo(Failure.Kind.INVALID));
        try (Stream<Path> left = Files.list(dir.resolve("datasets"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void storedDataSetsAreFoundAgainByANewStore() throws Exception {
        Dataset csv = store(1024).create("series", Dataset.CSV, stream("t,v\n1,2.5\n2,\n3,4\n"));
        Dataset text = store(1024).create(null, Dataset.TEXT, stream("hello\nworld\n"));
        DatasetStore reopened = store(1024);
        assertThat(reopened.list()).extracting(Dataset::id).containsExactlyInAnyOrder(csv.id(), text.id());
        assertThat(reopened.get(csv.id())).isEqualTo(csv);
        double[][] columns = reopened.numericColumns(csv, List.of("v"));
        assertThat(columns[0][0]).isEqualTo(2.5);
        assertThat(columns[0][1]).isNaN();
        assertThat(reopened.text(reopened.get(text.id()))).isEqualTo("hello\nworld\n");
    }

    private static ByteArrayInputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
