package io.seqserve.testing;

/**
 * The JUnit tags of the suite, by what a test needs. Untagged tests are plain unit tests (no engine,
 * no server): {@code ./mvnw test -Pfast} runs just those. README.md "Tests" lists the commands.
 */
public final class Tags {

    /** Loads DJL engines and their native libraries, without a server. */
    public static final String ENGINE = "engine";
    /** The real application on a random port ({@link ServerTest} and other Spring Boot tests). */
    public static final String HTTP = "http";
    /** Headless Chromium drives the console. */
    public static final String BROWSER = "browser";
    /** The real image in a Docker engine (failsafe {@code *IT}, under {@code verify}). */
    public static final String CONTAINER = "container";

    private Tags() {}
}
