package io.seqserve.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Renders a kustomization the way {@code kubectl kustomize} does, for the features k8s/ uses:
 * {@code resources} (files and directories), {@code images}, and {@code patches} holding JSON 6902
 * operations with a kind/name target. Any other field fails the rendering, so a manifest change that
 * needs more is noticed instead of silently ignored ({@link KubernetesManifestsTest} also compares
 * the result with the real kustomize where kubectl is installed).
 */
final class Kustomize {

    static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "resources", "images", "patches");

    private Kustomize() {}

    static List<ObjectNode> render(Path dir) throws IOException {
        JsonNode kustomization = YAML.readTree(dir.resolve("kustomization.yaml").toFile());
        for (String field : kustomization.propertyNames()) {
            if (!SUPPORTED.contains(field)) {
                throw new IllegalArgumentException(dir + ": kustomization field '" + field + "' is not supported here");
            }
        }
        List<ObjectNode> objects = new ArrayList<>();
        for (JsonNode resource : kustomization.path("resources")) {
            Path path = dir.resolve(resource.asString()).normalize();
            objects.addAll(Files.isDirectory(path) ? render(path) : readAll(path));
        }
        for (JsonNode patch : kustomization.path("patches")) {
            JsonNode ops = patch.has("path")
                    ? YAML.readTree(dir.resolve(patch.path("path").asString()).toFile())
                    : YAML.readTree(patch.path("patch").asString());
            List<ObjectNode> targets = objects.stream()
                    .filter(o -> matches(o, patch.path("target")))
                    .toList();
            if (targets.isEmpty()) {
                throw new IllegalArgumentException(dir + ": patch target matches nothing: " + patch.path("target"));
            }
            targets.forEach(target -> ops.forEach(op -> apply(target, op)));
        }
        for (JsonNode image : kustomization.path("images")) {
            objects.forEach(o -> setImage(o, image));
        }
        return objects;
    }

    static List<ObjectNode> readAll(Path file) throws IOException {
        List<ObjectNode> documents = new ArrayList<>();
        YAML.readerFor(JsonNode.class).<JsonNode>readValues(file).forEachRemaining(doc -> {
            if (doc instanceof ObjectNode object) {
                documents.add(object);
            }
        });
        return documents;
    }

    private static boolean matches(JsonNode object, JsonNode target) {
        return (!target.has("kind")
                        || target.path("kind")
                                .asString()
                                .equals(object.path("kind").asString()))
                && (!target.has("name")
                        || target.path("name")
                                .asString()
                                .equals(object.at("/metadata/name").asString()));
    }

    private static void apply(ObjectNode root, JsonNode op) {
        JsonPointer pointer = JsonPointer.compile(op.path("path").asString());
        JsonNode parent = root.at(pointer.head());
        JsonPointer last = pointer.last();
        String kind = op.path("op").asString();
        if (parent instanceof ObjectNode object) {
            String name = last.getMatchingProperty();
            require(kind.equals("add") || object.has(name), pointer);
            switch (kind) {
                case "add", "replace" -> object.set(name, op.get("value").deepCopy());
                case "remove" -> object.remove(name);
                default -> throw new IllegalArgumentException("unsupported patch op " + kind);
            }
        } else if (parent instanceof ArrayNode array) {
            int index = "-".equals(last.getMatchingProperty()) ? array.size() : last.getMatchingIndex();
            require(index >= 0 && (kind.equals("add") ? index <= array.size() : index < array.size()), pointer);
            switch (kind) {
                case "add" -> array.insert(index, op.get("value").deepCopy());
                case "replace" -> array.set(index, op.get("value").deepCopy());
                case "remove" -> array.remove(index);
                default -> throw new IllegalArgumentException("unsupported patch op " + kind);
            }
        } else {
            throw new IllegalArgumentException(
                    "patch path " + pointer + " has no parent in " + root.at("/metadata/name"));
        }
    }

    private static void require(boolean exists, JsonPointer pointer) {
        if (!exists) {
            throw new IllegalArgumentException("patch path " + pointer + " does not exist");
        }
    }

    private static void setImage(ObjectNode object, JsonNode image) {
        JsonNode podSpec = object.at("/spec/template/spec");
        for (String list : List.of("containers", "initContainers")) {
            for (JsonNode container : podSpec.path(list)) {
                String current = container.path("image").asString();
                int colon = current.lastIndexOf(':');
                String name = colon < 0 ? current : current.substring(0, colon);
                if (name.equals(image.path("name").asString())) {
                    String tag = image.has("newTag")
                            ? image.path("newTag").asString()
                            : colon < 0 ? null : current.substring(colon + 1);
                    String newName =
                            image.has("newName") ? image.path("newName").asString() : name;
                    ((ObjectNode) container).put("image", tag == null ? newName : newName + ":" + tag);
                }
            }
        }
    }
}
