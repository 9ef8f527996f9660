package io.seqserve.registry;

/** Why a version could not be made available; kept on the version as its {@code error}. */
public class LoadException extends Exception {
    public LoadException(String message) {
        super(message);
    }

    public LoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
