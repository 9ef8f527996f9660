package io.seqserve.training.data;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where uploaded data sets, job records and checkpoints live ({@code seqserve.data.dir}).
 *
 * @param dir created on first use; datasets under {@code datasets/}, jobs under {@code jobs/}
 */
@ConfigurationProperties("seqserve.data")
public record DataProperties(@DefaultValue("data") Path dir) {

    public Path datasets() {
        return dir.toAbsolutePath().normalize().resolve("datasets");
    }

    public Path jobs() {
        return dir.toAbsolutePath().normalize().resolve("jobs");
    }
}
