package io.seqserve.forecasting;

import io.seqserve.registry.Manifest;
import io.seqserve.registry.ModelVersion;
import io.seqserve.registry.TaskCheck;
import java.util.List;
import org.springframework.stereotype.Component;

/** A forecasting version whose manifest and signature do not fit together fails at load. */
@Component
class ForecastTaskCheck implements TaskCheck {

    private final ForecastingProperties properties;

    ForecastTaskCheck(ForecastingProperties properties) {
        this.properties = properties;
    }

    @Override
    public String task() {
        return "forecasting";
    }

    @Override
    public void check(ModelVersion candidate) {
        ForecastModel.of(candidate, properties);
    }

    /**
     * {@code window} and {@code features} (default 1) determine the input: float32 {@code [-1, window, features]}.
     * A block that names its variables ({@code targets}, covariates, calendar) declares its inputs itself.
     */
    @Override
    public List<Manifest.TensorDecl> inputs(Manifest manifest) {
        ForecastingSpec spec = ForecastingSpec.of(manifest.forecasting());
        if (spec.window() == null || spec.targets() != null) {
            return List.of();
        }
        long features = spec.features() == null ? 1 : spec.features();
        return List.of(new Manifest.TensorDecl("input", "float32", List.of(-1L, (long) spec.window(), features)));
    }

    @Override
    public List<String> warnings(ModelVersion candidate) {
        return ForecastModel.of(candidate, properties).loadWarnings();
    }
}
