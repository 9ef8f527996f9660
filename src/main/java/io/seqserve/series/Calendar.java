package io.seqserve.series;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.temporal.ChronoField;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Calendar features derived from timestamps, so clients do not compute them: each is a phase in
 * {@code [0, 1)} (hour of day, day of week, ...) given to the model as {@code sin(2 pi phase)} and
 * {@code cos(2 pi phase)}, two input features that wrap around smoothly (December is next to January).
 */
public enum Calendar {
    HOUR {
        @Override
        double phase(LocalDateTime t) {
            return (t.getHour() + t.getMinute() / 60.0) / 24;
        }
    },
    DAY_OF_WEEK {
        @Override
        double phase(LocalDateTime t) {
            return (t.getDayOfWeek().getValue() - DayOfWeek.MONDAY.getValue()) / 7.0;
        }
    },
    DAY_OF_MONTH {
        @Override
        double phase(LocalDateTime t) {
            return (t.getDayOfMonth() - 1.0) / t.toLocalDate().lengthOfMonth();
        }
    },
    DAY_OF_YEAR {
        @Override
        double phase(LocalDateTime t) {
            return (t.get(ChronoField.DAY_OF_YEAR) - 1.0) / t.toLocalDate().lengthOfYear();
        }
    },
    MONTH {
        @Override
        double phase(LocalDateTime t) {
            return (t.getMonthValue() - 1) / 12.0;
        }
    },
    QUARTER {
        @Override
        double phase(LocalDateTime t) {
            return ((t.getMonthValue() - 1) / 3) / 4.0;
        }
    };

    /** The names manifests and requests use: {@code hour}, {@code day_of_week}, ... */
    public static final List<String> NAMES =
            Arrays.stream(values()).map(Calendar::key).toList();

    abstract double phase(LocalDateTime t);

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Calendar find(String name) {
        return name == null || !NAMES.contains(name) ? null : valueOf(name.toUpperCase(Locale.ROOT));
    }

    public double sin(LocalDateTime t) {
        return Math.sin(2 * Math.PI * phase(t));
    }

    public double cos(LocalDateTime t) {
        return Math.cos(2 * Math.PI * phase(t));
    }
}
