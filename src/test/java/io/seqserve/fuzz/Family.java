package io.seqserve.fuzz;

import java.util.List;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;

/**
 * One endpoint family of the API as the fuzz suite sees it: the method, the path templates ({@code %s} is
 * filled with a model name, a generated one or a real one), the content type of a valid request, valid
 * bodies to mutate, and a guard that keeps a mutated body from doing what the suite must not (run for
 * minutes, register the models root as a version); the guard never makes a body valid.
 */
record Family(
        String name,
        String method,
        List<String> paths,
        List<String> realModels,
        String contentType,
        List<JsonNode> corpus,
        UnaryOperator<JsonNode> guard,
        boolean bytesOnly) {

    static Family json(String name, String method, List<String> paths, List<String> realModels, String... bodies) {
        return new Family(
                name,
                method,
                paths,
                realModels,
                "application/json",
                List.of(bodies).stream().map(Mutator::parse).toList(),
                UnaryOperator.identity(),
                false);
    }

    Family guarded(UnaryOperator<JsonNode> guard) {
        return new Family(name, method, paths, realModels, contentType, corpus, guard, bytesOnly);
    }

    /** A family whose bodies are not JSON: mutated at the byte level only. */
    static Family text(String name, String path, String contentType, String body) {
        return new Family(
                name,
                "POST",
                List.of(path),
                List.of(),
                contentType,
                List.of(tools.jackson.databind.node.JsonNodeFactory.instance.stringNode(body)),
                UnaryOperator.identity(),
                true);
    }
}
