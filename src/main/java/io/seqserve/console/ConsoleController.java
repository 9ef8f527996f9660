package io.seqserve.console;

import io.seqserve.web.SecurityProperties;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /console/config}: what the console at {@code /} needs to know about this deployment. */
@RestController
class ConsoleController {

    /**
     * @param grafanaUrl dashboards link, null when not configured
     * @param writeToken whether write endpoints want a bearer token (else: loopback callers only)
     */
    record ConsoleConfig(String grafanaUrl, boolean writeToken) {}

    private final ConsoleConfig config;

    ConsoleController(ConsoleProperties console, SecurityProperties security) {
        this.config = new ConsoleConfig(
                console.grafanaUrl(),
                security.token() != null && !security.token().isBlank());
    }

    @GetMapping("/console/config")
    ConsoleConfig config() {
        return config;
    }
}
