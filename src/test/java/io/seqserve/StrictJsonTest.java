package io.seqserve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.JacksonException;

/** The one JSON configuration: snake_case, no coercion between JSON types, finite numbers, no unknown or duplicate fields. */
class StrictJsonTest {

    record Body(String name, Long version, Integer maxTokens, Double temperature, Boolean stream, List<Double> level) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Open(String model) {}

    private static Body read(String json) {
        return StrictJson.MAPPER.readValue(json, Body.class);
    }

    @Test
    void readsSnakeCaseAndWidensIntegersToDoubles() {
        Body body = read(
                "{\"name\": \"a\", \"version\": 3, \"max_tokens\": 5, \"temperature\": 1, \"stream\": true, \"level\": [80, 95.5]}");
        assertThat(body).isEqualTo(new Body("a", 3L, 5, 1.0, true, List.of(80.0, 95.5)));
        assertThat(StrictJson.MAPPER.writeValueAsString(body)).contains("\"max_tokens\":5");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"version\": 1.9}", "{\"version\": 1e0}", "{\"version\": \"1\"}", "{\"version\": true}",
                "{\"version\": 99999999999999999999}", "{\"max_tokens\": 2.0}", "{\"name\": 5}", "{\"name\": true}",
                "{\"name\": [\"a\"]}", "{\"temperature\": \"1\"}", "{\"temperature\": 1e999}", "{\"temperature\": NaN}",
                "{\"stream\": 1}", "{\"stream\": \"true\"}", "{\"level\": 80}", "{\"level\": [80, -1e400]}",
                "{\"nme\": \"a\"}", "{\"name\": \"a\", \"name\": \"b\"}", "{\"name\": \"a\"} {}", "[]"
            })
    void refusesWhatIsNotExactlyTheDeclaredType(String json) {
        assertThatThrownBy(() -> read(json)).isInstanceOf(JacksonException.class);
    }

    @Test
    void aRecordMayOptInToIgnoringUnknownFieldsButNotToCoercion() {
        assertThat(StrictJson.MAPPER
                        .readValue("{\"model\": \"m\", \"user\": \"x\", \"logit_bias\": {}}", Open.class)
                        .model())
                .isEqualTo("m");
        assertThatThrownBy(() -> StrictJson.MAPPER.readValue("{\"model\": 5}", Open.class))
                .isInstanceOf(JacksonException.class);
    }
}
