package io.seqserve.training;

import java.util.Locale;

/** queued -> running -> succeeded | failed | cancelled; a running job stopped by a shutdown is queued again. */
enum JobStatus {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    static JobStatus parse(String value) {
        for (JobStatus s : values()) {
            if (s.id().equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown status '" + value + "'");
    }
}
