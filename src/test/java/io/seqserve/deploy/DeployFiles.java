package io.seqserve.deploy;

import io.seqserve.StrictJson;
import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.ConfigurationPropertiesBean;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import tools.jackson.databind.JsonNode;

/** Reads the deployment files and what they must agree with: application.yaml, the app's properties and metrics. */
final class DeployFiles {

    static final Path K8S = Path.of("k8s");
    static final List<Path> OVERLAYS = List.of(K8S.resolve("overlays/cpu"), K8S.resolve("overlays/gpu"));
    private static final Pattern METRIC = Pattern.compile("\\b((?:seqserve|jvm|process|http_server)_[a-z0-9_]+)\\b");

    private DeployFiles() {}

    static JsonNode yaml(Path file) {
        return Kustomize.YAML.readTree(file.toFile());
    }

    /** application.yaml as flat canonical property names ({@code server.port} -> 8080). */
    static Map<String, String> applicationDefaults() {
        Map<String, String> flat = new TreeMap<>();
        flatten("", yaml(Path.of("src/main/resources/application.yaml")), flat);
        return flat;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> into) {
        if (node.isObject()) {
            node.properties()
                    .forEach(e ->
                            flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), into));
        } else {
            into.put(prefix, node.asString());
        }
    }

    static int serverPort() {
        return Integer.parseInt(applicationDefaults().get("server.port"));
    }

    /**
     * Property names the application knows: application.yaml's, plus the top-level properties of every
     * {@code @ConfigurationProperties} bean (ours and Spring's) in the running context.
     */
    static Set<String> knownProperties(ApplicationContext context) {
        Set<String> known = new TreeSet<>(applicationDefaults().keySet());
        ConfigurationPropertiesBean.getAll(context).values().forEach(bean -> {
            String prefix = bean.getAnnotation().prefix();
            Class<?> type = bean.getInstance().getClass();
            if (type.isRecord()) {
                for (RecordComponent component : type.getRecordComponents()) {
                    known.add(prefix + "." + kebab(component.getName()));
                }
            } else {
                for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
                    known.add(prefix + "." + kebab(property.getName()));
                }
            }
        });
        return known;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    /** The known property an environment variable sets under Spring's relaxed binding, if any. */
    static Optional<String> propertySetBy(String variable, Set<String> known) {
        MutablePropertySources sources = new MutablePropertySources();
        sources.addFirst(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(variable, "value")));
        for (ConfigurationPropertySource source : ConfigurationPropertySources.from(sources)) {
            for (String name : known) {
                if (ConfigurationPropertyName.isValid(name)
                        && source.getConfigurationProperty(ConfigurationPropertyName.of(name)) != null) {
                    return Optional.of(name);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Instructions of the Dockerfile's final stage as {keyword, arguments}, continuation lines joined; a
     * stage built {@code FROM} an earlier named stage starts with that stage's instructions.
     */
    static List<String[]> dockerfileRuntimeStage() {
        return dockerfileStages().get("");
    }

    /** The instructions of each named stage ({@code FROM ... AS name}), and of the final stage under "". */
    static Map<String, List<String[]>> dockerfileStages() {
        String joined;
        try {
            joined = Files.readString(Path.of("Dockerfile")).replaceAll("\\\\\n", " ");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, List<String[]>> stages = new HashMap<>();
        List<String[]> instructions = new ArrayList<>();
        for (String line : joined.lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList()) {
            String[] parts = line.split("\\s+", 2);
            if (parts[0].equals("FROM")) {
                String[] from = parts[1].split("\\s+");
                instructions = new ArrayList<>(stages.getOrDefault(from[0], List.of()));
                if (from.length == 3 && from[1].equalsIgnoreCase("AS")) {
                    stages.put(from[2], instructions);
                }
            }
            instructions.add(new String[] {parts[0], parts.length > 1 ? parts[1] : ""});
        }
        stages.put("", instructions);
        return stages;
    }

    static List<String> dockerfile(String keyword) {
        return dockerfileRuntimeStage().stream()
                .filter(i -> i[0].equals(keyword))
                .map(i -> i[1])
                .toList();
    }

    /** The runtime stage's exec-form ENTRYPOINT, which is a JSON array, as its arguments. */
    static List<String> dockerfileEntrypoint() {
        List<String> entrypoint = dockerfile("ENTRYPOINT");
        return List.of(StrictJson.MAPPER.readValue(entrypoint.get(entrypoint.size() - 1), String[].class));
    }

    /** The runtime stage's ENV variables. */
    static Map<String, String> dockerfileEnv() {
        Map<String, String> env = new TreeMap<>();
        for (String args : dockerfile("ENV")) {
            Matcher m = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S+)").matcher(args);
            while (m.find()) {
                env.put(m.group(1), m.group(2).replace("\"", ""));
            }
        }
        return env;
    }

    /** The numeric uid the image runs as. */
    static String dockerfileUser() {
        List<String> users = dockerfile("USER");
        return users.get(users.size() - 1).split(":")[0];
    }

    /** Metric family names in a Prometheus text exposition. */
    static Set<String> exportedMetrics(String exposition) {
        Set<String> names = new TreeSet<>();
        exposition
                .lines()
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .forEach(l -> names.add(l.split("[{ ]", 2)[0]));
        return names;
    }

    /** Metric names a PromQL expression reads. */
    static Set<String> metricsIn(String promql) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = METRIC.matcher(promql);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }
}
