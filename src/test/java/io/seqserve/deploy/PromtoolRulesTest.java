package io.seqserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.testing.Promtool;
import io.seqserve.testing.RequiresTool;
import io.seqserve.testing.Tool;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The alert rules with Prometheus' own tool: {@code promtool check rules} parses them, {@code promtool test rules}
 * runs deploy/prometheus/alerts-test.yml (the accuracy alerts fire on a stale model's series and stay quiet on a
 * good one's, on a trickle of actuals and on a model that still gets them), and the Kubernetes PrometheusRule
 * holds exactly the groups compose's Prometheus loads.
 */
@RequiresTool(Tool.PROMTOOL)
class PromtoolRulesTest {

    private static final Path PROMETHEUS = Path.of("deploy/prometheus");

    @Test
    void rulesParseAndTheirUnitTestsPass() throws Exception {
        Promtool.Result check = Promtool.run(PROMETHEUS, "check", "rules", "alerts.yml");
        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS");

        Promtool.Result test = Promtool.run(PROMETHEUS, "test", "rules", "alerts-test.yml");
        assertThat(test.exit()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");
    }

    @Test
    void promtoolFailsARuleTestThatExpectsTheWrongAlert() throws Exception {
        // The harness itself can fail: a test expecting no coverage alert on the stale series must not pass.
        String broken = java.nio.file.Files.readString(PROMETHEUS.resolve("alerts-test.yml"))
                .replaceFirst(
                        "(?s)(eval_time: 90m\\s+alertname: SeqserveForecastCoverageLow\\s+exp_alerts:).*?(\\n  #)",
                        "$1 []$2");
        Path dir = java.nio.file.Files.createTempDirectory("promtool-");
        java.nio.file.Files.copy(PROMETHEUS.resolve("alerts.yml"), dir.resolve("alerts.yml"));
        java.nio.file.Files.writeString(dir.resolve("alerts-test.yml"), broken);
        Promtool.Result test = Promtool.run(dir, "test", "rules", "alerts-test.yml");
        assertThat(test.exit()).as(test.output()).isNotZero();
        assertThat(test.output()).contains("SeqserveForecastCoverageLow");
    }

    @Test
    void theKubernetesPrometheusRuleHoldsTheSameGroups() {
        JsonNode compose = DeployFiles.yaml(PROMETHEUS.resolve("alerts.yml")).path("groups");
        JsonNode k8s = DeployFiles.yaml(DeployFiles.K8S.resolve("base/prometheusrule.yaml"))
                .at("/spec/groups");
        assertThat(compose.size()).isGreaterThanOrEqualTo(2);
        assertThat(k8s).isEqualTo(compose);
    }
}
