package io.seqserve.inference;

import io.seqserve.runtime.HostTensor;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One forward pass on a version the caller holds: tensors in the model's input order in, its outputs in
 * signature order out. The future completes on the worker thread that ran the pass; chain real work onto
 * it with an {@code *Async} stage on a named executor, never a plain one.
 */
@FunctionalInterface
public interface ForwardPass {

    CompletableFuture<List<HostTensor>> run(List<HostTensor> inputs);
}
