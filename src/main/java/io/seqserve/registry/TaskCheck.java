package io.seqserve.registry;

import java.util.List;

/**
 * A feature's check that a version can serve the task its manifest declares, run at load time so that
 * an unusable manifest fails the version with its reason (API.md) instead of failing each request.
 */
public interface TaskCheck {

    /** The manifest {@code task} this check applies to. */
    String task();

    /**
     * Throws (an {@code Failure} or {@code IllegalArgumentException}) with the reason when
     * {@code candidate}, fully loaded but not yet published, cannot serve the task.
     */
    void check(ModelVersion candidate);

    /**
     * The inputs the manifest's task section determines (a forecaster's window and features, a text model's
     * token ids), for a format that carries no signature (TorchScript) and a manifest that declares none;
     * empty when the section does not determine them.
     */
    default List<Manifest.TensorDecl> inputs(Manifest manifest) {
        return List.of();
    }

    /** What users of a version that passed {@link #check} should know (shown with the version's warnings). */
    default List<String> warnings(ModelVersion candidate) {
        return List.of();
    }
}
