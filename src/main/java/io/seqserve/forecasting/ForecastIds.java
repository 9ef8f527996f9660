package io.seqserve.forecasting;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Forecast ids: {@code f_} then the time in milliseconds and 64 random bits, in hex, so ids sort by time and do
 * not collide across replicas and restarts.
 */
final class ForecastIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private ForecastIds() {}

    static String next() {
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        return "f_" + Long.toHexString(System.currentTimeMillis())
                + HexFormat.of().formatHex(random);
    }
}
