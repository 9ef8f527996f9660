package io.seqserve.registry;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What readiness waits for ({@code seqserve.readiness.*}, see {@link Readiness}).
 *
 * @param models {@code all} (default): every model that has a version not failed on its own files must be
 *        able to serve; {@code required}: only versions marked {@code required: true} (engines count either way)
 */
@ConfigurationProperties("seqserve.readiness")
public record ReadinessProperties(@DefaultValue("all") Readiness.Scope models) {}
