package io.seqserve.registry;

import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.ZooModel;
import io.seqserve.runtime.WorkerPool;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The live part of an available version: its DJL models (one per device) and their worker pools.
 * Requests go to the pool with the shortest queue.
 */
public final class LoadedModel {

    private final List<ZooModel<NDList, NDList>> models;
    private final List<WorkerPool> pools;

    LoadedModel(List<ZooModel<NDList, NDList>> models, List<WorkerPool> pools) {
        this.models = List.copyOf(models);
        this.pools = List.copyOf(pools);
    }

    /** The pool a request goes to: the one with the shortest queue. */
    public WorkerPool pool() {
        if (pools.size() == 1) {
            return pools.get(0);
        }
        WorkerPool best = pools.get(0);
        for (WorkerPool pool : pools) {
            if (pool.queueDepth() < best.queueDepth()) {
                best = pool;
            }
        }
        return best;
    }

    public List<WorkerPool> pools() {
        return pools;
    }

    /**
     * Drains and closes the pools, then the models once every worker has left its pass (at once when they
     * stopped within the drain, else on the last worker's thread when its native pass returns).
     */
    void close(Duration drain) {
        pools.forEach(pool -> pool.close(drain));
        CompletableFuture.allOf(pools.stream().map(WorkerPool::terminated).toArray(CompletableFuture[]::new))
                .whenComplete((done, error) -> models.forEach(ZooModel::close));
    }
}
