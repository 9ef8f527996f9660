package io.seqserve.forecasting;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits and defaults of {@code :forecast}, {@code :backtest} and {@code :calibrate}.
 *
 * @param maxHorizon    longest horizon a request may ask for (UNPROCESSABLE beyond)
 * @param maxSeries     series per request (TOO_LARGE beyond)
 * @param maxPoints     numbers per request, all series and features together (TOO_LARGE beyond)
 * @param maxRows       rows of one forward pass: series for a forecast, series x windows for a backtest or
 *                      calibration (TOO_LARGE beyond)
 * @param maxResiduals  residuals one calibration may store, all horizon steps together (TOO_LARGE beyond)
 * @param defaultWindow history steps fed to variable-length models ({@code [-1,-1,F]}) whose manifest sets
 *                      no window; 0 feeds the whole history
 * @param shadowMaxInFlight shadow copies of forecasts running at once; more are dropped (and counted)
 */
@ConfigurationProperties("seqserve.forecasting")
public record ForecastingProperties(
        @DefaultValue("1000") int maxHorizon,
        @DefaultValue("1000") int maxSeries,
        @DefaultValue("1000000") int maxPoints,
        @DefaultValue("20000") int maxRows,
        @DefaultValue("100000") int maxResiduals,
        @DefaultValue("0") int defaultWindow,
        @DefaultValue("4") int shadowMaxInFlight) {

    public ForecastingProperties {
        if (maxHorizon < 1 || maxSeries < 1 || maxPoints < 1 || maxRows < 1 || maxResiduals < 1) {
            throw new IllegalArgumentException("seqserve.forecasting limits must be >= 1");
        }
        if (shadowMaxInFlight < 0) {
            throw new IllegalArgumentException("seqserve.forecasting.shadow-max-in-flight must be >= 0");
        }
        if (defaultWindow < 0) {
            throw new IllegalArgumentException("seqserve.forecasting.default-window must be >= 0");
        }
    }
}
