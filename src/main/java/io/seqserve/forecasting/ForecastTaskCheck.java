package io.seqserve.forecasting;

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

    @Override
    public List<String> warnings(ModelVersion candidate) {
        return ForecastModel.of(candidate, properties).loadWarnings();
    }
}
