package io.seqserve.registry;

import io.seqserve.runtime.EngineChecks;
import io.seqserve.runtime.EngineStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Whether this replica should receive traffic, and why not (docs/deployment.md, "Readiness"). Ready when
 * <ol>
 *   <li>the versions present at start have loaded or failed;</li>
 *   <li>every engine a version on disk needs, and every {@code seqserve.runtime.required-engines}, passed its
 *       self-check (a required engine still checking keeps it starting);</li>
 *   <li>every version whose manifest says {@code required: true} is available (or not meant to be loaded);</li>
 *   <li>with {@code seqserve.readiness.models=all} (the default), no version failed because of the environment
 *       unless a newer version of its model is available. A version that failed on its own files does not
 *       count; so every model that has a version not failed on its own files can serve.</li>
 * </ol>
 * Failures of the environment and of required versions make the replica {@link Status#BROKEN}; waiting for
 * loads and checks keeps it {@link Status#STARTING}. Both are "not ready".
 */
@Component
public class Readiness {

    /** Which models readiness waits for. */
    public enum Scope {
        /** Every model (the default): a version that failed because of the host keeps the replica not ready. */
        ALL,
        /** Only versions marked {@code required: true}; engines are checked either way. */
        REQUIRED
    }

    public enum Status {
        READY,
        STARTING,
        BROKEN
    }

    /**
     * @param problems why the replica is not ready, one sentence each; empty when ready
     * @param engines every engine checked or needed: "up (2.16.1)", "checking" or "down: reason"
     */
    public record Report(Status status, List<String> problems, Map<String, String> engines, Scope scope) {
        public boolean ready() {
            return status == Status.READY;
        }
    }

    private final ModelCatalog catalog;
    private final VersionManager manager;
    private final EngineChecks engines;
    private final Scope scope;

    @Autowired
    Readiness(ModelCatalog catalog, VersionManager manager, EngineChecks engines, ReadinessProperties properties) {
        this(catalog, manager, engines, properties.models());
    }

    Readiness(ModelCatalog catalog, VersionManager manager, EngineChecks engines, Scope scope) {
        this.catalog = catalog;
        this.manager = manager;
        this.engines = engines;
        this.scope = scope;
    }

    public Report report() {
        List<String> waiting = new ArrayList<>();
        List<String> broken = new ArrayList<>();
        if (!manager.initialLoadSettled()) {
            waiting.add("the model versions present at start are still loading");
        }
        Map<String, String> engineView = checkEngines(waiting, broken);
        for (ServedModel model : catalog.models()) {
            for (ModelVersion v : model.versions.values()) {
                checkVersion(model, v, waiting, broken);
            }
        }
        Status status = !broken.isEmpty() ? Status.BROKEN : !waiting.isEmpty() ? Status.STARTING : Status.READY;
        List<String> problems = new ArrayList<>(broken);
        problems.addAll(waiting);
        return new Report(status, List.copyOf(problems), engineView, scope);
    }

    private Map<String, String> checkEngines(List<String> waiting, List<String> broken) {
        Set<String> needed = new TreeSet<>(catalog.engines());
        needed.addAll(engines.required());
        Map<String, String> view = new TreeMap<>();
        engines.all().forEach((engine, status) -> view.put(engine, describe(status)));
        for (String engine : needed) {
            Optional<EngineStatus> status = engines.status(engine);
            view.put(engine, describe(status));
            if (status.isEmpty() && engines.required().contains(engine)) {
                // A needed engine that is still checking holds up the loads of its versions, and so step 1.
                waiting.add("required engine " + engine + " is being checked");
            } else if (status.isPresent() && !status.get().up()) {
                broken.add("engine " + status.get().describe());
            }
        }
        return view;
    }

    private void checkVersion(ServedModel model, ModelVersion v, List<String> waiting, List<String> broken) {
        boolean required = Boolean.TRUE.equals(v.manifest().required());
        String what = "model '" + v.name() + "' version " + v.version();
        ModelState state = v.state();
        if (state == ModelState.FAILED) {
            LoadFailure failure = v.loadFailure();
            boolean environment = failure != null && failure.environmental();
            if (required) {
                broken.add("required " + what + " failed to load: " + v.error());
            } else if (environment && scope == Scope.ALL && !supersededByAvailable(model, v)) {
                broken.add(what + " failed to load because of the environment: " + v.error());
            }
        } else if (required && state == ModelState.LOADING) {
            waiting.add("required " + what + " is loading");
        }
    }

    /** A newer version of the model is available: an older version's failure no longer decides what serves. */
    private static boolean supersededByAvailable(ServedModel model, ModelVersion v) {
        return model.versions.tailMap(v.version(), false).values().stream()
                .anyMatch(n -> n.state() == ModelState.AVAILABLE);
    }

    private static String describe(Optional<EngineStatus> status) {
        return status.map(s -> s.up() ? "up (" + s.version() + ")" : "down: " + s.reason())
                .orElse("checking");
    }
}
