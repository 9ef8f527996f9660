package io.seqserve.web;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code seqserve.security.token}: the bearer token write endpoints require; unset means loopback callers only. */
@ConfigurationProperties("seqserve.security")
public record SecurityProperties(String token) {}
