package io.seqserve.registry;

import io.seqserve.Failure;
import java.util.List;
import java.util.Optional;

/**
 * Why the version a request names cannot serve it, said in {@link Failure}'s terms: a version on its way
 * to serving is UNAVAILABLE with a Retry-After; one that is not loaded and not wanted is GONE, with how to
 * bring it back; one that failed to load is UNPROCESSABLE (the model's fault) or UNAVAILABLE with a
 * Retry-After (the environment's, see {@link LoadFailure.Fault}).
 */
final class VersionFailures {

    /** A load takes a few seconds; a client that retries sooner only adds load. */
    static final long RETRY_AFTER_SECONDS = 2;
    /**
     * A version the host could not load does not load here by waiting, but this replica turns not ready and
     * leaves the load balancer (Kubernetes: 3 failed probes, 5 s apart): a retry after that reaches another.
     */
    static final long ENVIRONMENT_RETRY_AFTER_SECONDS = 15;

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
     * that has not failed), try again shortly; when every version failed, the newest one's failure, or the
     * newest failure of the environment when there is one (then the host, not the model, keeps it from serving).
     */
    static Failure noneAvailable(ServedModel model) {
        List<ModelVersion> versions = List.copyOf(model.versions.descendingMap().values());
        if (versions.isEmpty()) {
            return Failure.of(Failure.Code.MODEL_NOT_FOUND, "model '" + model.name + "' has no versions");
        }
        if (versions.stream().allMatch(v -> v.state() == ModelState.FAILED)) {
            return failedToLoad(versions.stream()
                    .filter(VersionFailures::environmental)
                    .findFirst()
                    .orElse(versions.get(0)));
        }
        List<Long> loading = versions.stream()
                .filter(v -> v.state() == ModelState.LOADING)
                .map(ModelVersion::version)
                .toList();
        return retryLater("no version of model '" + model.name + "' is available right now"
                + (loading.isEmpty() ? "; one is about to load" : "; loading: " + loading));
    }

    static Failure registrationFailed(ModelVersion v) {
        return whoseFault(v, "the model could not be loaded", ", nothing was registered: ");
    }

    private static Failure failedToLoad(ModelVersion v) {
        return whoseFault(v, "model '" + v.name() + "' version " + v.version() + " failed to load", ": ");
    }

    /** The environment's fault is not the client's: 503 with a Retry-After; the model's is unprocessable. */
    private static Failure whoseFault(ModelVersion v, String what, String then) {
        if (environmental(v)) {
            return new Failure(
                    Failure.Kind.UNAVAILABLE,
                    what + " because of this server's environment" + then + v.error(),
                    List.of(),
                    ENVIRONMENT_RETRY_AFTER_SECONDS,
                    null);
        }
        return Failure.of(Failure.Code.VERSION_FAILED, what + then + v.error());
    }

    private static boolean environmental(ModelVersion v) {
        LoadFailure failure = v.loadFailure();
        return failure != null && failure.environmental();
    }

    private static Failure retryLater(String detail) {
        return new Failure(Failure.Code.VERSION_LOADING, detail, List.of(), RETRY_AFTER_SECONDS, null);
    }
}
