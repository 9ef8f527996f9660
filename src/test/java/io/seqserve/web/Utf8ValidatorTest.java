package io.seqserve.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The streaming UTF-8 check agrees with the JDK's strict decoder, whatever the chunking. */
class Utf8ValidatorTest {

    @ParameterizedTest
    @ValueSource(
            strings = {"61", "c3a9", "e282ac", "f09f9880", "efbfbf", "f48fbfbf", "7b2261223a22c3a922207d", "ed9fbf"})
    void acceptsWellFormedSequences(String hex) {
        assertThat(check(HexFormat.of().parseHex(hex))).isTrue();
        assertThat(jdk(HexFormat.of().parseHex(hex))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "c0af", // overlong '/'
                "c1bf",
                "e080af", // overlong, three bytes
                "f08080af", // overlong, four bytes
                "eda080", // a surrogate
                "f4908080", // above U+10FFFF
                "f5808080",
                "ff",
                "80", // a continuation byte alone
                "c3", // cut short
                "e282",
                "61c328"
            })
    void refusesWhatTheStrictDecoderRefuses(String hex) {
        assertThat(check(HexFormat.of().parseHex(hex))).isFalse();
        assertThat(jdk(HexFormat.of().parseHex(hex))).isFalse();
    }

    /** Fed one byte at a time and all at once: the same verdict. */
    private static boolean check(byte[] bytes) {
        Utf8Validator whole = new Utf8Validator();
        boolean wholeOk = whole.update(bytes, 0, bytes.length) < 0 && whole.complete();
        Utf8Validator single = new Utf8Validator();
        boolean singleOk = true;
        for (int i = 0; i < bytes.length && singleOk; i++) {
            singleOk = single.update(bytes, i, 1) < 0;
        }
        singleOk = singleOk && single.complete();
        assertThat(singleOk).isEqualTo(wholeOk);
        return wholeOk;
    }

    private static boolean jdk(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }
}
