package io.seqserve.accuracy;

import io.seqserve.Failure;
import io.seqserve.forecasting.ForecastRequests;
import io.seqserve.web.BindingErrors;
import io.seqserve.web.ProblemResponses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code :actuals} (a write), {@code /accuracy} and {@code :promote} (a write). The actuals' body is read only
 * once a reading slot is free (429 otherwise), so a flood of large bodies is refused before it is parsed.
 */
@RestController
class AccuracyController {

    /** {@code online.min_points}: scored points the candidate needs (default {@code seqserve.accuracy.min-points}). */
    @io.swagger.v3.oas.annotations.media.Schema(name = "PromoteRequest")
    record PromoteRequest(
            @NotNull(message = "is required: the version to promote")
            @Positive(message = "must be a positive version number")
            Long version,

            @Valid Online online,
            @Valid ForecastRequests.BacktestRequest backtest) {}

    @io.swagger.v3.oas.annotations.media.Schema(name = "PromoteOnline")
    record Online(
            @Positive(message = "must be an integer >= 1") Integer minPoints) {}

    private final AccuracyService accuracy;
    private final AccuracyView view;
    private final PromotionGate gate;
    private final Promotions promotions;
    private final AccuracyProperties properties;
    private final JsonMapper json;

    AccuracyController(
            AccuracyService accuracy,
            AccuracyView view,
            PromotionGate gate,
            Promotions promotions,
            AccuracyProperties properties,
            JsonMapper json) {
        this.accuracy = accuracy;
        this.view = view;
        this.gate = gate;
        this.promotions = promotions;
        this.properties = properties;
        this.json = json;
    }

    @Operation(
            summary = "Observed values, matched to logged forecasts and scored (write)",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = true,
                            content = @Content(schema = @Schema(implementation = ActualsRequest.class))))
    @ProblemResponses(
            value = {400, 404, 413, 429},
            write = true)
    @PostMapping(path = "/v1/models/{name}:actuals", consumes = MediaType.APPLICATION_JSON_VALUE)
    AccuracyService.Result actuals(@Parameter(example = "sunspots-lstm") @PathVariable String name, InputStream body) {
        AccuracyService.Result result = accuracy.ingest(name, () -> read(body));
        promotions.afterActuals(name);
        return result;
    }

    private ActualsRequest read(InputStream body) {
        try {
            ActualsRequest request = json.readValue(body, ActualsRequest.class);
            if (request == null) {
                throw Failure.badRequest("a JSON request body is required");
            }
            return request;
        } catch (JacksonException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof Failure f) {
                    throw f; // a limit of the body stream (its size, its UTF-8)
                }
            }
            throw BindingErrors.unreadable(e);
        } finally {
            try {
                body.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Operation(summary = "Rolling accuracy per version, target and horizon step, over a window and over time")
    @ProblemResponses({400, 404})
    @GetMapping("/v1/models/{name}/accuracy")
    AccuracyView.Report accuracy(
            @Parameter(example = "sunspots-lstm") @PathVariable String name,
            @Parameter(example = "1h") @RequestParam(required = false) String window) {
        return view.report(name, window(window));
    }

    private Duration window(String text) {
        if (text == null) {
            return properties.window();
        }
        Duration d;
        try {
            d = DurationStyle.detectAndParse(text);
        } catch (IllegalArgumentException e) {
            throw Failure.invalid("window", "must be a duration such as 30m, 1h or PT6H");
        }
        if (d.isNegative() || d.isZero() || d.compareTo(properties.history()) > 0) {
            throw Failure.invalid(
                    "window", "must be positive and at most the history kept (" + properties.history() + ")");
        }
        return d;
    }

    @Operation(summary = "Move production to a version only if it beats the current one on the evidence (write)")
    @ProblemResponses(
            value = {400, 404, 409, 422, 503},
            write = true)
    @PostMapping(path = "/v1/models/{name}:promote", consumes = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<PromotionGate.Decision> promote(
            @PathVariable String name, @Valid @RequestBody PromoteRequest body) {
        Integer minPoints = body.online() == null
                ? null
                : body.online().minPoints() == null
                        ? properties.minPoints()
                        : body.online().minPoints();
        return gate.promote(name, body.version(), new PromotionGate.Evidence(minPoints, body.backtest()));
    }
}
