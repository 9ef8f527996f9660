package io.seqserve.web;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code seqserve.security.token}: the bearer token write endpoints require; unset means direct loopback
 * connections only, and no writes on a detected cloud platform ({@link WriteAccessFilter}).
 */
@ConfigurationProperties("seqserve.security")
public record SecurityProperties(String token) {}
