package io.seqserve.predict;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.DataType;
import io.seqserve.Failure;
import io.seqserve.StrictJson;
import io.seqserve.runtime.HostTensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** Tensor payloads in (nested JSON lists to host tensors of the model's dtype) and out (views written as JSON). */
class JsonTensorsTest {

    private static JsonNode json(String text) {
        return StrictJson.MAPPER.readTree(text);
    }

    private static Failure failure(Runnable parse) {
        try {
            parse.run();
        } catch (Failure e) {
            return e;
        }
        throw new AssertionError("expected a Failure");
    }

    @Test
    void theShapeOfANestedListIsItsNesting() {
        assertThat(JsonTensors.shapeOf(json("[[1, 2, 3], [4, 5, 6]]"), "x")).containsExactly(2, 3);
        assertThat(JsonTensors.shapeOf(json("7"), "x")).isEmpty();
        assertThat(JsonTensors.shapeOf(json("[]"), "x")).containsExactly(0);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"[[1, 2], [3]]", "[[1, 2], 3]", "[[1], [[2]]]", "[{\"a\": 1}]"})
    void raggedListsAreRefusedNamingTheField(String text) {
        Failure e = failure(() -> JsonTensors.shapeOf(json(text), "instances.x"));
        assertThat(e.kind()).isEqualTo(Failure.Kind.INVALID);
        assertThat(e.errors())
                .singleElement()
                .satisfies(f -> assertThat(f.field()).isEqualTo("instances.x"));
    }

    @Test
    void rowsAreStackedUnderANewLeadingDimensionInTheModelsDtype() {
        HostTensor t = JsonTensors.stack(
                List.of(json("[1, 2]"), json("[3, 4]"), json("[5, 6]")), DataType.FLOAT32, "instances.x");
        assertThat(t.shape()).containsExactly(3, 2);
        assertThat(t.dtype()).isEqualTo(DataType.FLOAT32);
        assertThat(t.toFloatArray()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(failure(() -> JsonTensors.stack(
                                List.of(json("[1, 2]"), json("[3]")), DataType.FLOAT32, "instances.x"))
                        .getMessage())
                .contains("instance 1 has shape [1]");
    }

    @Test
    void integersStayExactInInt64AndMayFeedFloatModels() {
        HostTensor big = JsonTensors.parse(json("[9007199254740993]"), new long[] {1}, DataType.INT64, "inputs");
        assertThat(big.getLong(0)).isEqualTo(9007199254740993L);
        HostTensor ids = JsonTensors.parse(
                json("[0, 3, 6]"), new long[] {1, 3}, DataType.FLOAT32, DataType.INT32, "inputs[0].data");
        assertThat(ids.toFloatArray()).containsExactly(0, 3, 6);
    }

    /** value | model dtype | declared dtype ({@code -}: none). */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "1.5|INT64|-",
                "1.0e300|FLOAT32|-",
                "3000000000|INT32|-",
                "-1|UINT8|-",
                "256|UINT8|-",
                "\"1\"|FLOAT32|-",
                "true|FLOAT32|-",
                "null|FLOAT32|-",
                "1.5|FLOAT32|INT64",
                "1|BOOLEAN|BOOLEAN",
                "1e39|FLOAT64|FLOAT32"
            })
    void aValueTheDtypeCannotHoldIsInvalid(String value, DataType dtype, String declared) {
        DataType claimed = declared.equals("-") ? null : DataType.valueOf(declared);
        Failure e = failure(
                () -> JsonTensors.parse(json("[" + value + "]"), new long[] {1}, dtype, claimed, "inputs[0].data"));
        assertThat(e.kind()).isEqualTo(Failure.Kind.INVALID);
        assertThat(e.errors())
                .singleElement()
                .satisfies(f -> assertThat(f.field()).isEqualTo("inputs[0].data"));
    }

    @Test
    void theElementCountMustMatchTheShape() {
        assertThat(failure(() -> JsonTensors.parse(json("[1, 2, 3]"), new long[] {2, 1}, DataType.FLOAT32, "d"))
                        .getMessage())
                .contains("more values than the shape holds");
        assertThat(failure(() -> JsonTensors.parse(json("[1]"), new long[] {2, 1}, DataType.FLOAT32, "d"))
                        .getMessage())
                .contains("fewer values than the shape needs");
    }

    @Test
    void viewsAreWrittenNestedPerRowSqueezedOrFlat() {
        HostTensor t = HostTensor.ofFloats(new long[] {2, 3, 1}, new float[] {1, 2, 3, 4, 5, 6});
        assertThat(write(TensorJson.whole(t, false))).isEqualTo("[[[1.0],[2.0],[3.0]],[[4.0],[5.0],[6.0]]]");
        assertThat(write(TensorJson.whole(t, true))).isEqualTo("[[1.0,2.0,3.0],[4.0,5.0,6.0]]");
        assertThat(write(TensorJson.row(t, 1, true))).isEqualTo("[4.0,5.0,6.0]");
        assertThat(write(TensorJson.flat(t))).isEqualTo("[1.0,2.0,3.0,4.0,5.0,6.0]");
        HostTensor longs = HostTensor.ofLongs(new long[] {2}, new long[] {9007199254740993L, -1});
        assertThat(write(Map.of("ids", TensorJson.whole(longs, false)))).isEqualTo("{\"ids\":[9007199254740993,-1]}");
    }

    private static String write(Object view) {
        return StrictJson.MAPPER.writeValueAsString(view);
    }
}
