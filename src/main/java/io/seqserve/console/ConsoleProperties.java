package io.seqserve.console;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The web console at {@code /} ({@code seqserve.console.*}).
 *
 * @param grafanaUrl where the console links for dashboards (e.g. {@code http://localhost:3000}); no link when unset
 */
@ConfigurationProperties("seqserve.console")
public record ConsoleProperties(String grafanaUrl) {

    public ConsoleProperties {
        grafanaUrl = grafanaUrl == null || grafanaUrl.isBlank() ? null : grafanaUrl.strip();
        // The page renders it as a link: anything but http(s) (javascript:, data:) is a configuration error.
        if (grafanaUrl != null) {
            String scheme = URI.create(grafanaUrl).getScheme();
            if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
                throw new IllegalArgumentException(
                        "seqserve.console.grafana-url must be an http(s) URL, got '" + grafanaUrl + "'");
            }
        }
    }
}
