package io.seqserve.training;

import io.seqserve.training.data.DataProperties;
import io.seqserve.training.data.DatasetStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The data sets' store, sized by the training feature's configuration ({@code seqserve.training.max-dataset-size}). */
@Configuration(proxyBeanMethods = false)
class TrainingConfig {

    @Bean
    DatasetStore datasetStore(DataProperties data, TrainingProperties properties) {
        return new DatasetStore(data, properties.maxDatasetSize());
    }
}
