package io.seqserve.forecasting;

import io.seqserve.registry.ModelRef;
import jakarta.validation.Valid;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code :forecast}, {@code :backtest} and {@code :calibrate} on the three {@code {ref}} forms. Answers are
 * asynchronous: no servlet thread waits while the forward passes run.
 */
@RestController
class ForecastController {

    private static final String REFS = "/v1/models/{name}";
    private static final String VERSION = "/v1/models/{name}/versions/{version}";
    private static final String LABEL = "/v1/models/{name}/labels/{label}";

    private final ForecastService forecasts;
    private final BacktestService backtests;
    private final CalibrationService calibrations;

    ForecastController(ForecastService forecasts, BacktestService backtests, CalibrationService calibrations) {
        this.forecasts = forecasts;
        this.backtests = backtests;
        this.calibrations = calibrations;
    }

    @PostMapping(
            path = {REFS + ":forecast", VERSION + ":forecast", LABEL + ":forecast"},
            consumes = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<ForecastService.ForecastResponse> forecast(
            @PathVariable String name,
            @PathVariable(required = false) String version,
            @PathVariable(required = false) String label,
            @Valid @RequestBody ForecastRequests.ForecastRequest body) {
        return forecasts.forecast(ref(name, version, label), body);
    }

    @PostMapping(
            path = {REFS + ":backtest", VERSION + ":backtest", LABEL + ":backtest"},
            consumes = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<BacktestService.BacktestResponse> backtest(
            @PathVariable String name,
            @PathVariable(required = false) String version,
            @PathVariable(required = false) String label,
            @Valid @RequestBody ForecastRequests.BacktestRequest body) {
        return backtests.backtest(ref(name, version, label), body);
    }

    @PostMapping(
            path = {REFS + ":calibrate", VERSION + ":calibrate", LABEL + ":calibrate"},
            consumes = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<CalibrationService.CalibrationResponse> calibrate(
            @PathVariable String name,
            @PathVariable(required = false) String version,
            @PathVariable(required = false) String label,
            @Valid @RequestBody ForecastRequests.CalibrateRequest body) {
        return calibrations.calibrate(ref(name, version, label), body);
    }

    private static ModelRef ref(String name, String version, String label) {
        return version != null
                ? ModelRef.ofVersion(name, version)
                : label != null ? ModelRef.ofLabel(name, label) : ModelRef.of(name);
    }
}
