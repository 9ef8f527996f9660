package io.seqserve.training;

import jakarta.validation.constraints.Pattern;

/**
 * The query (or form) parameters of a data set upload.
 *
 * @param name shown in listings; the id when left out
 * @param kind {@code csv} or {@code text}; found from the content type or file name when left out
 */
record DatasetUpload(
        @Pattern(
                regexp = "[\\p{L}\\p{N}][\\p{L}\\p{N} ._-]{0,127}",
                message = "1-128 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit")
        String name,

        @Pattern(regexp = "csv|text", message = "must be csv or text")
        String kind) {

    /** The requested kind, else the detected one. */
    String kindOr(String detected) {
        return kind == null ? detected : kind;
    }
}
