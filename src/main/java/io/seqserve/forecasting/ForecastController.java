package io.seqserve.forecasting;

import io.seqserve.registry.ModelRef;
import io.seqserve.web.ProblemResponses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
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

    @Operation(summary = "Forecast many series over a horizon, with conformal intervals per level")
    @ProblemResponses({400, 404, 410, 413, 422, 429, 500, 503})
    @PostMapping(
            path = {REFS + ":forecast", VERSION + ":forecast", LABEL + ":forecast"},
            consumes = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<ForecastService.ForecastResponse> forecast(
            @Parameter(example = "sunspots-lstm") @PathVariable String name,
            @PathVariable(required = false) String version,
            @PathVariable(required = false) String label,
            @Valid @RequestBody ForecastRequests.ForecastRequest body) {
        return forecasts.forecast(ref(name, version, label), body);
    }

    @Operation(summary = "Rolling-origin backtest against naive and seasonal naive")
    @ProblemResponses({400, 404, 410, 413, 422, 429, 500, 503})
    @PostMapping(
            path = {REFS + ":backtest", VERSION + ":backtest", LABEL + ":backtest"},
            consumes = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<BacktestService.BacktestResponse> backtest(
            @Parameter(example = "sunspots-lstm") @PathVariable String name,
            @PathVariable(required = false) String version,
            @PathVariable(required = false) String label,
            @Valid @RequestBody ForecastRequests.BacktestRequest body) {
        return backtests.backtest(ref(name, version, label), body);
    }

    @Operation(summary = "Store conformal residuals per horizon step in the version's manifest (write)")
    @ProblemResponses(
            value = {400, 404, 410, 413, 422, 429, 500, 503},
            write = true)
    @PostMapping(
            path = {REFS + ":calibrate", VERSION + ":calibrate", LABEL + ":calibrate"},
            consumes = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<CalibrationService.CalibrationResponse> calibrate(
            @Parameter(example = "sunspots-lstm") @PathVariable String name,
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
