package io.seqserve.series;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The timestamps of a regular series: value {@code t} is at {@code start + t * frequency}. Frequencies are
 * {@code minute}, {@code hour}, {@code day}, {@code week}, {@code month}, {@code quarter}, {@code year} or an
 * ISO-8601 duration ({@code PT15M}, {@code P1D}, {@code P2M}); calendar steps (months, years) keep the start's
 * day of month where the month has it. Timestamps are wall-clock times: an offset, when given, is dropped.
 */
public record Timeline(LocalDateTime start, String frequency) {

    private static final Map<String, String> NAMED = Map.of(
            "minute", "PT1M", "hour", "PT1H", "day", "P1D", "week", "P7D", "month", "P1M", "quarter", "P3M", "year",
            "P1Y");
    private static final Pattern QUARTER = Pattern.compile("(\\d{4})-?Q([1-4])");

    public Timeline {
        step(frequency);
    }

    /** The time of value {@code t} (negative: before the start). */
    public LocalDateTime at(long t) {
        String iso = NAMED.getOrDefault(frequency, frequency);
        if (iso.contains("T")) {
            return start.plus(Duration.parse(iso).multipliedBy(t));
        }
        Period period = Period.parse(iso);
        return start.plus(period.multipliedBy(Math.toIntExact(t)));
    }

    /** Checks a frequency; IllegalArgumentException saying what is accepted. */
    public static String step(String frequency) {
        String iso = frequency == null ? null : NAMED.getOrDefault(frequency, frequency);
        try {
            if (iso != null && iso.contains("T")) {
                Duration d = Duration.parse(iso);
                if (!d.isNegative() && !d.isZero()) {
                    return frequency;
                }
            } else if (iso != null) {
                Period p = Period.parse(iso);
                if (!p.isNegative() && !p.isZero()) {
                    return frequency;
                }
            }
        } catch (DateTimeParseException e) {
            // falls through to the explanation
        }
        throw new IllegalArgumentException(
                "frequency must be one of " + NAMED.keySet().stream().sorted().toList()
                        + " or a positive ISO-8601 duration such as PT15M or P1D; got '" + frequency + "'");
    }

    /**
     * A timestamp as series give them: {@code 2024-03-01T10:00[:00][Z|+01:00]}, {@code 2024-03-01},
     * {@code 2024-03}, {@code 2024Q1} or {@code 2024}; IllegalArgumentException otherwise.
     */
    public static LocalDateTime parse(String text) {
        String s = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
        try {
            if (s.contains("T")) {
                return s.matches(".*(Z|[+-]\\d{2}:?\\d{2})$")
                        ? OffsetDateTime.parse(s).toLocalDateTime()
                        : LocalDateTime.parse(s);
            }
            if (s.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return LocalDate.parse(s).atStartOfDay();
            }
            if (s.matches("\\d{4}-\\d{2}")) {
                return YearMonth.parse(s).atDay(1).atStartOfDay();
            }
            Matcher q = QUARTER.matcher(s);
            if (q.matches()) {
                int month = (Integer.parseInt(q.group(2)) - 1) * 3 + 1;
                return LocalDate.of(Integer.parseInt(q.group(1)), month, 1).atStartOfDay();
            }
            if (s.matches("\\d{4}")) {
                return LocalDate.of(Integer.parseInt(s), 1, 1).atStartOfDay();
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            // falls through to the explanation
        }
        throw new IllegalArgumentException("'" + text + "' is not a timestamp: use ISO-8601 such as 2024-03-01T10:00, "
                + "2024-03-01, 2024-03, 2024Q1 or 2024");
    }

    /**
     * The frequency of regular timestamps, from the first two: whole months (month, quarter, year, else PnM),
     * else the duration between them (minute, hour, day, week, else PTnS); null when they do not advance.
     */
    public static String infer(LocalDateTime first, LocalDateTime second) {
        if (!second.isAfter(first)) {
            return null;
        }
        if (first.getDayOfMonth() == second.getDayOfMonth()
                && first.toLocalTime().equals(second.toLocalTime())
                && !first.toLocalDate().plusDays(7).equals(second.toLocalDate())
                && !first.toLocalDate().plusDays(1).equals(second.toLocalDate())) {
            long months = java.time.temporal.ChronoUnit.MONTHS.between(first, second);
            return switch ((int) months) {
                case 1 -> "month";
                case 3 -> "quarter";
                case 12 -> "year";
                default -> "P" + months + "M";
            };
        }
        Duration d = Duration.between(first, second);
        for (Map.Entry<String, String> named : Map.of(
                        "minute", "PT1M", "hour", "PT1H", "day", "PT24H", "week", "PT168H")
                .entrySet()) {
            if (d.equals(Duration.parse(named.getValue()))) {
                return named.getKey();
            }
        }
        return d.toString();
    }
}
