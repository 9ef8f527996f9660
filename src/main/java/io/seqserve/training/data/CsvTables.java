package io.seqserve.training.data;

import io.seqserve.Failure;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

/**
 * CSV files with a header row, read with Apache Commons CSV: a summary (typed columns, missing values)
 * for uploads, and numeric columns (missing values as NaN) for training.
 */
final class CsvTables {

    private static final CSVFormat FORMAT = CSVFormat.DEFAULT
            .builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setIgnoreEmptyLines(true)
            .setTrim(true)
            .setDuplicateHeaderMode(DuplicateHeaderMode.DISALLOW)
            .get();
    private static final Set<String> MISSING = Set.of("", "na", "n/a", "nan", "null", "none", "?");

    private CsvTables() {}

    /** Row count and typed columns; a malformed file is a 400 naming the line. */
    record Summary(long rows, List<Dataset.Column> columns) {}

    static Summary summarize(Reader reader) {
        try (CSVParser parser = parse(reader)) {
            List<String> header = parser.getHeaderNames();
            long[] missing = new long[header.size()];
            boolean[] text = new boolean[header.size()];
            long rows = 0;
            for (CSVRecord record : parser) {
                checkWidth(record, header.size());
                rows++;
                for (int i = 0; i < header.size(); i++) {
                    String value = record.get(i);
                    if (isMissing(value)) {
                        missing[i]++;
                    } else if (!text[i] && Double.isNaN(parseNumber(value))) {
                        text[i] = true;
                    }
                }
            }
            if (rows == 0) {
                throw malformed("the file has a header but no data rows");
            }
            List<Dataset.Column> columns = new ArrayList<>();
            for (int i = 0; i < header.size(); i++) {
                columns.add(new Dataset.Column(header.get(i), text[i] ? "string" : "number", missing[i]));
            }
            return new Summary(rows, columns);
        } catch (IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            throw malformed(e.getMessage());
        }
    }

    /** The named columns as numbers per row ({@code [column][row]}), NaN where a value is missing or not a number. */
    static double[][] numeric(Reader reader, List<String> names) {
        String[][] text = text(reader, names);
        double[][] columns = new double[text.length][];
        for (int c = 0; c < text.length; c++) {
            columns[c] = Arrays.stream(text[c])
                    .mapToDouble(value -> value == null ? Double.NaN : parseNumber(value))
                    .toArray();
        }
        return columns;
    }

    /** The named columns as text per row ({@code [column][row]}), null where a value is missing. */
    static String[][] text(Reader reader, List<String> names) {
        try (CSVParser parser = parse(reader)) {
            List<String> header = parser.getHeaderNames();
            int[] index = names.stream().mapToInt(header::indexOf).toArray();
            List<String[]> rows = new ArrayList<>();
            for (CSVRecord record : parser) {
                checkWidth(record, header.size());
                String[] row = new String[index.length];
                for (int c = 0; c < index.length; c++) {
                    String value = record.get(index[c]).trim();
                    row[c] = isMissing(value) ? null : value;
                }
                rows.add(row);
            }
            String[][] columns = new String[index.length][rows.size()];
            for (int r = 0; r < rows.size(); r++) {
                for (int c = 0; c < index.length; c++) {
                    columns[c][r] = rows.get(r)[c];
                }
            }
            return columns;
        } catch (IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            throw malformed(e.getMessage());
        }
    }

    private static CSVParser parse(Reader reader) throws IOException {
        CSVParser parser =
                CSVParser.builder().setReader(reader).setFormat(FORMAT).get();
        if (parser.getHeaderNames().isEmpty()) {
            throw malformed("no header row");
        }
        return parser;
    }

    private static void checkWidth(CSVRecord record, int width) {
        if (record.size() != width) {
            throw malformed("line " + record.getParser().getCurrentLineNumber() + " has " + record.size()
                    + " fields but the header has " + width + " "
                    + Arrays.toString(record.getParser().getHeaderNames().toArray()));
        }
    }

    static boolean isMissing(String value) {
        return MISSING.contains(value.toLowerCase());
    }

    /** The value as a finite number, NaN when it is not one. */
    private static double parseNumber(String value) {
        try {
            double d = Double.parseDouble(value);
            return Double.isFinite(d) ? d : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static Failure malformed(String reason) {
        return Failure.badRequest("malformed CSV: " + reason);
    }
}
