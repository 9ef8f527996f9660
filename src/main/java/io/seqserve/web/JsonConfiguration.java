package io.seqserve.web;

import io.seqserve.StrictJson;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Applies {@link StrictJson} to Spring Boot's own {@code JsonMapper}, so every {@code @RequestBody} record
 * and every response of every feature is read and written the same strict, snake_case way.
 */
@Configuration(proxyBeanMethods = false)
class JsonConfiguration {

    @Bean
    JsonMapperBuilderCustomizer strictJson() {
        return StrictJson::configure;
    }
}
