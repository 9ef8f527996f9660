package io.seqserve.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.testing.ServerTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * The hot-path lookup finds {@code :predict} and {@code infer} POSTs with Spring's own matching (handler, pattern and
 * path variables as Spring's mapping sets them) and leaves every other request, including a near miss, to it.
 */
class HotPathMappingTest extends ServerTest {

    @Autowired
    HotPathMapping mapping;

    @Test
    void findsPredictAndInferWithTheirPatternsAndVariables() throws Exception {
        MockHttpServletRequest predict = request("POST", "/v1/models/sunspots:predict", "application/json");
        assertThat(handler(predict)).isEqualTo("predict");
        assertThat(predict.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE))
                .isEqualTo("/v1/models/{name}:predict");
        assertThat(predict.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE))
                .isEqualTo(Map.of("name", "sunspots"));

        assertThat(handler(request("POST", "/v1/models/m/labels/canary:predict", "application/json")))
                .isEqualTo("predictLabel");
        assertThat(handler(request("POST", "/v2/models/m/versions/3/infer", "application/json")))
                .isEqualTo("inferVersion");
    }

    @Test
    void leavesEverythingElseToSpringsMapping() throws Exception {
        assertThat(mapping.getHandler(request("GET", "/v2/models/m", null))).isNull();
        assertThat(mapping.getHandler(request("GET", "/v2/health/live", null))).isNull();
        assertThat(mapping.getHandler(request("POST", "/v1/models/m:forecast", "application/json")))
                .isNull();
        assertThat(mapping.getHandler(request("POST", "/v1/models/m:predict", "text/plain")))
                .as("a near miss is not an error here")
                .isNull();
    }

    @Test
    void aNearMissIsStillAnsweredAsBefore() throws Exception {
        assertProblem(send("POST", "/v1/models/half_plus_two:predict", "text/plain", "1"), 415);
        assertProblem(send("PUT", "/v1/models/half_plus_two:predict", "application/json", "{}"), 405);
    }

    private String handler(MockHttpServletRequest request) throws Exception {
        HandlerExecutionChain chain = mapping.getHandler(request);
        assertThat(chain)
                .as("a handler for %s %s", request.getMethod(), request.getRequestURI())
                .isNotNull();
        return ((HandlerMethod) chain.getHandler()).getMethod().getName();
    }

    private static MockHttpServletRequest request(String method, String path, String contentType) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        if (contentType != null) {
            request.setContentType(contentType);
        }
        ServletRequestPathUtils.parseAndCache(request);
        return request;
    }
}
