package io.seqserve.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.testing.ServerTest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * TF Serving's {@code :predict} body is read by {@link PlainJsonBodyResolver}, ahead of Spring's {@code @RequestBody}
 * handling, and a bad body gets the problem Spring's way gives: V2 {@code infer} ({@code @Valid}, so still read by
 * Spring) is the control.
 */
class PlainJsonBodyResolverTest extends ServerTest {

    @Autowired
    RequestMappingHandlerAdapter adapter;

    @Test
    void isAskedBeforeSpringsResolvers() {
        assertThat(adapter.getArgumentResolvers()).first().isInstanceOf(PlainJsonBodyResolver.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "null", "{", "{\"instances\": [1.0,", "[1.0]", "{} x", "\"text\""})
    void aBadBodyGetsTheProblemSpringsWayGives(String body) throws Exception {
        HttpResponse<String> plain = send("POST", "/v1/models/half_plus_two:predict", "application/json", body);
        HttpResponse<String> spring = send("POST", "/v2/models/half_plus_two/infer", "application/json", body);
        assertThat(plain.statusCode()).as(plain.body()).isEqualTo(400);
        assertThat(plain.statusCode()).isEqualTo(spring.statusCode());
        assertThat(json(plain).path("detail").asString())
                .as("detail, against V2's %s", spring.body())
                .isEqualTo(json(spring).path("detail").asString());
    }
}
