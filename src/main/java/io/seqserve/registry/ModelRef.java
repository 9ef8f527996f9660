package io.seqserve.registry;

import io.seqserve.Failure;

/** How a request names a model: a bare name, a version number or a label (TF Serving's three forms). */
public record ModelRef(String name, Long version, String label) {

    public static ModelRef of(String name) {
        return new ModelRef(name, null, null);
    }

    public static ModelRef ofVersion(String name, String version) {
        return new ModelRef(name, parseVersion(version), null);
    }

    public static ModelRef ofLabel(String name, String label) {
        return new ModelRef(name, null, label);
    }

    public static long parseVersion(String text) {
        try {
            long v = Long.parseLong(text);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw Failure.invalid("version", "must be a positive integer, got '" + text + "'");
    }
}
