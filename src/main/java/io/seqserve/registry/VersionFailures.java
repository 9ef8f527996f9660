package io.seqserve.registry;

import io.seqserve.Failure;
import java.util.List;
import java.util.Optional;

/**
 * Why the version a request names cannot serve it, said in {@link Failure}'s terms: a version on its way
 * to serving is UNAVAILABLE with a Retry-After; one that is not loaded and not wanted is GONE, with how to
 * bring it back; one that failed to load is UNPROCESSABLE (the model's fault) or UNAVAILABLE (the host's,
 * see {@link LoadFailure#environmental()}).
 */
final class VersionFailures {

    /** A load takes a few seconds; a client that retries sooner only adds load. */
    static final long RETRY_AFTER_SECONDS = 2;

    private VersionFailures() {}

    static ModelVersion numbered(ServedModel model, long version) {
        return Optional.ofNullable(model.versions.get(version))
                .orElseThrow(() -> Failure.of(
                        Failure.Code.VERSION_NOT_FOUND, "model '" + model.name + "' has no version " + version));
    }

    static ModelVersion labelled(ServedModel model, String label) {
        Long target = model.labels.get(label);
        if (target == null) {
            throw Failure.of(Failure.Code.VERSION_NOT_FOUND, "model '" + model.name + "' has no label '" + label + "'");
        }
        return Optional.ofNullable(model.versions.get(target))
                .orElseThrow(() -> Failure.of(
                        Failure.Code.VERSION_NOT_FOUND, "label '" + label + "' points at missing version " + target));
    }

    /** An explicitly named version (by number or label) that could not be leased. */
    static Failure cannotServe(ServedModel model, ModelVersion v) {
        String what = "model '" + v.name() + "' version " + v.version();
        return switch (v.state()) {
            case FAILED -> failedToLoad(v);
            case LOADING -> retryLater(what + " is loading");
            case AVAILABLE -> retryLater(what + " is changing state");
            case NEW, UNLOADED, UNLOADING ->
                model.isLabelled(v.version())
                        ? retryLater(what + " is " + v.state().id() + "; it is labelled, so it loads again")
                        : Failure.of(
                                Failure.Code.VERSION_NOT_LOADED,
                                what + " is not loaded (" + v.state().id()
                                        + "): only the newest versions and labelled ones"
                                        + " stay loaded. To load it and keep it loaded, label it: PUT /v1/models/"
                                        + v.name()
                                        + "/labels/{label} with {\"version\": " + v.version() + "}");
        };
    }

    /**
     * A bare name with no available version: while any version may still load (the policy loads the newest
     * that has not failed), try again shortly; when every version failed, the newest one's failure.
     */
    static Failure noneAvailable(ServedModel model) {
        List<ModelVersion> versions = List.copyOf(model.versions.descendingMap().values());
        if (versions.isEmpty()) {
            return Failure.of(Failure.Code.MODEL_NOT_FOUND, "model '" + model.name + "' has no versions");
        }
        if (versions.stream().allMatch(v -> v.state() == ModelState.FAILED)) {
            return failedToLoad(versions.get(0));
        }
        List<Long> loading = versions.stream()
                .filter(v -> v.state() == ModelState.LOADING)
                .map(ModelVersion::version)
                .toList();
        return retryLater("no version of model '" + model.name + "' is available right now"
                + (loading.isEmpty() ? "; one is about to load" : "; loading: " + loading));
    }

    static Failure registrationFailed(ModelVersion v) {
        String detail = "the model could not be loaded, nothing was registered: " + v.error();
        return environmental(v) ? Failure.unavailable(detail) : Failure.of(Failure.Code.VERSION_FAILED, detail);
    }

    private static Failure failedToLoad(ModelVersion v) {
        String detail = "model '" + v.name() + "' version " + v.version() + " failed to load: " + v.error();
        return environmental(v) ? Failure.unavailable(detail) : Failure.of(Failure.Code.VERSION_FAILED, detail);
    }

    private static boolean environmental(ModelVersion v) {
        LoadFailure failure = v.loadFailure();
        return failure != null && failure.environmental();
    }

    private static Failure retryLater(String detail) {
        return new Failure(Failure.Code.VERSION_LOADING, detail, List.of(), RETRY_AFTER_SECONDS, null);
    }
}
