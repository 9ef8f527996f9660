package io.seqserve.registry;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The model repository ({@code seqserve.models.*}).
 *
 * @param root TF Serving layout {@code <root>/<name>/<version>/}
 * @param pollInterval how often the root is scanned for new and removed versions
 * @param latestVersions how many of the newest loadable versions per model stay loaded (plus labelled ones)
 * @param loadThreads versions loaded in parallel
 */
@ConfigurationProperties("seqserve.models")
public record ModelsProperties(
        @DefaultValue("models") Path root,
        @DefaultValue("2s") Duration pollInterval,
        @DefaultValue("1") int latestVersions,
        @DefaultValue("2") int loadThreads,
        @DefaultValue("512MB") DataSize maxUploadSize,
        @DefaultValue("2GB") DataSize maxExtractedSize,
        @DefaultValue("10000") int maxArchiveEntries) {

    public ModelsProperties {
        if (latestVersions < 1) {
            throw new IllegalArgumentException("seqserve.models.latest-versions must be >= 1");
        }
        if (loadThreads < 1) {
            throw new IllegalArgumentException("seqserve.models.load-threads must be >= 1");
        }
    }
}
