package io.seqserve.deploy;

import java.time.Duration;
import java.util.UUID;

/** A named Docker volume for one test, removed afterwards. */
record TestVolume(String name) implements AutoCloseable {

    static TestVolume create() {
        return new TestVolume(Docker.ok(
                "volume",
                "create",
                "seqserve-it-" + UUID.randomUUID().toString().substring(0, 8)));
    }

    @Override
    public void close() {
        Docker.run(Duration.ofMinutes(1), "volume", "rm", "-f", name);
    }
}
