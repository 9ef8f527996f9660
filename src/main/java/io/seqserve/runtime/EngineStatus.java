package io.seqserve.runtime;

import java.time.Duration;

/**
 * What an engine's self-check found ({@link EngineChecks}): up (its native library loaded and a tiny
 * forward pass gave the right answer) with the engine's version, or down with the reason.
 *
 * @param took how long loading the native library and the forward pass took
 */
public record EngineStatus(String engine, boolean up, String version, String reason, Duration took) {

    public static EngineStatus up(String engine, String version, Duration took) {
        return new EngineStatus(engine, true, version, null, took);
    }

    public static EngineStatus down(String engine, String reason, Duration took) {
        return new EngineStatus(engine, false, null, reason, took);
    }

    /** "TensorFlow 2.16.1 is up" or "TensorFlow is down: reason", for logs and problems. */
    public String describe() {
        return up ? engine + " " + version + " is up" : engine + " is down: " + reason;
    }
}
