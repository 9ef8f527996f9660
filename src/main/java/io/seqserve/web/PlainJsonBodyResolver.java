package io.seqserve.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import java.io.IOException;
import java.io.PushbackInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodParameter;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads {@link PlainJsonBody} request bodies with the application's {@link JsonMapper} straight from the request's
 * stream, ahead of Spring's {@code @RequestBody} handling. Spring's way, right for bodies in general, asks every
 * message converter whether it can read the type, copies the request's headers into {@code HttpHeaders} and
 * wraps the stream to detect an empty body: 16.5 % of the HTTP threads' Java samples on {@code :predict} at 32
 * clients, of which Jackson's own parse was 7.7 (bench/README.md). The mapping's {@code consumes} has already
 * checked the content type, and {@link RequestSizeFilter} bounds and checks the stream (JSON is UTF-8 here).
 * Failures are Spring's: a JSON error is an {@link HttpMessageNotReadableException} with Jackson's exception as its
 * cause, an empty body (or {@code null}) "Required request body is missing", so {@link FailureHandler} answers them
 * as before.
 */
@Component
class PlainJsonBodyResolver implements HandlerMethodArgumentResolver, BeanPostProcessor {

    private final ObjectProvider<JsonMapper> json;
    /** One reader per body type, made on first use: the mapper is resolved lazily (this is a post-processor). */
    private final Map<Class<?>, ObjectReader> readers = new ConcurrentHashMap<>();

    PlainJsonBodyResolver(ObjectProvider<JsonMapper> json) {
        this.json = json;
    }

    /** Puts this resolver first, so it answers before Spring's {@code @RequestBody} processor is asked. */
    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof RequestMappingHandlerAdapter adapter && adapter.getArgumentResolvers() != null) {
            List<HandlerMethodArgumentResolver> resolvers = new ArrayList<>();
            resolvers.add(this);
            resolvers.addAll(adapter.getArgumentResolvers());
            adapter.setArgumentResolvers(resolvers);
        }
        return bean;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.hasParameterAnnotation(RequestBody.class)
                && !parameter.hasParameterAnnotation(Valid.class)
                && parameter.getParameterType().isAnnotationPresent(PlainJsonBody.class);
    }

    @Override
    public Object resolveArgument(
            MethodParameter parameter,
            ModelAndViewContainer mavContainer,
            NativeWebRequest webRequest,
            WebDataBinderFactory binderFactory)
            throws IOException {
        HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
        Object body;
        try (PushbackInputStream in = new PushbackInputStream(request.getInputStream())) {
            body = read(in, parameter.getParameterType());
        } catch (JacksonException e) {
            throw new HttpMessageNotReadableException(
                    "JSON parse error: " + e.getOriginalMessage(), e, new ServletServerHttpRequest(request));
        }
        if (body == null) {
            throw new HttpMessageNotReadableException(
                    "Required request body is missing: "
                            + parameter.getExecutable().toGenericString(),
                    new ServletServerHttpRequest(request));
        }
        return body;
    }

    /** The body, or null when there is none. */
    private Object read(PushbackInputStream in, Class<?> type) throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        in.unread(first);
        return readers.computeIfAbsent(type, t -> json.getObject().readerFor(t)).readValue(in);
    }
}
