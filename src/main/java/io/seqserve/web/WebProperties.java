package io.seqserve.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * HTTP edge settings.
 *
 *
 * @param maxRequestSize largest JSON/text body (uploads have their own limit)
 */
@ConfigurationProperties("seqserve.web")
public record WebProperties(@DefaultValue("16MB") DataSize maxRequestSize) {}
