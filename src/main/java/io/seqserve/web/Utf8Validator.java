package io.seqserve.web;

/**
 * Checks bytes as they stream past against UTF-8 as RFC 3629 defines it (the table of well-formed byte
 * sequences in Unicode 15, section 3.9): overlong forms ({@code C0 AF} for {@code /}), surrogates, code
 * points above U+10FFFF and truncated sequences are refused. Jackson's byte parser decodes some of these
 * (an overlong {@code C0 AF} becomes {@code /}), so a name or path could hide a character from every check
 * that reads the decoded string.
 */
final class Utf8Validator {

    private int pending;
    private int low = 0x80;
    private int high = 0xBF;
    private long offset;

    /** Checks {@code len} more bytes; returns the offset of the first bad byte, or -1. */
    long update(byte[] bytes, int off, int len) {
        for (int i = off; i < off + len; i++) {
            int b = bytes[i] & 0xFF;
            if (pending == 0) {
                if (b >= 0x80 && !start(b)) {
                    return offset + i - off;
                }
            } else {
                if (b < low || b > high) {
                    return offset + i - off;
                }
                low = 0x80;
                high = 0xBF;
                pending--;
            }
        }
        offset += len;
        return -1;
    }

    /** True when the bytes so far end on a character boundary (call at the end of the input). */
    boolean complete() {
        return pending == 0;
    }

    long offset() {
        return offset;
    }

    private boolean start(int b) {
        if (b >= 0xC2 && b <= 0xDF) {
            pending = 1;
        } else if (b == 0xE0) {
            expect(2, 0xA0, 0xBF);
        } else if (b == 0xED) {
            expect(2, 0x80, 0x9F);
        } else if (b >= 0xE1 && b <= 0xEF) {
            pending = 2;
        } else if (b == 0xF0) {
            expect(3, 0x90, 0xBF);
        } else if (b >= 0xF1 && b <= 0xF3) {
            pending = 3;
        } else if (b == 0xF4) {
            expect(3, 0x80, 0x8F);
        } else {
            return false;
        }
        return true;
    }

    private void expect(int continuation, int firstLow, int firstHigh) {
        pending = continuation;
        low = firstLow;
        high = firstHigh;
    }
}
