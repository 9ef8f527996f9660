package io.seqserve.web;

import io.seqserve.Failure;
import io.seqserve.Throwables;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers a request when a future completes, without passing the request through the filters and
 * {@code DispatcherServlet} a second time. A controller returning a {@code CompletableFuture} makes
 * Spring MVC re-dispatch the whole request to write the answer; on {@code :predict} that second pass was a
 * quarter of the HTTP threads' CPU (bench/README.md). Here the request goes asynchronous, the thread that
 * completes the future (a model's worker) only hands over to a container thread ({@code
 * AsyncContext.start}), which builds the body, writes it with the application's JSON mapper, and completes
 * the request. A failure is written as the problem {@link FailureHandler} would render; an answer that
 * takes longer than {@code spring.mvc.async.request-timeout} is a {@code DEADLINE} problem.
 */
@Component
public class AsyncAnswers {

    private static final Logger log = LoggerFactory.getLogger(AsyncAnswers.class);

    private final JsonMapper json;
    private final long timeoutMillis;

    AsyncAnswers(JsonMapper json, @Value("${spring.mvc.async.request-timeout:120s}") Duration timeout) {
        this.json = json;
        this.timeoutMillis = timeout.toMillis();
    }

    /** Answers 200 with {@code body} of the future's value as JSON, or the failure's problem. */
    public <T> void send(
            HttpServletRequest request,
            HttpServletResponse response,
            CompletableFuture<T> future,
            Function<? super T, ?> body) {
        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(timeoutMillis);
        AtomicBoolean answered = new AtomicBoolean();
        async.addListener(new Timeout(answered, response));
        future.whenComplete((value, error) -> async.start(() -> {
            if (answered.compareAndSet(false, true)) {
                write(response, value, error, body);
                async.complete();
            }
        }));
    }

    private <T> void write(HttpServletResponse response, T value, Throwable error, Function<? super T, ?> body) {
        try {
            if (error == null) {
                try {
                    byte[] bytes = json.writeValueAsBytes(body.apply(value));
                    response.setStatus(HttpServletResponse.SC_OK);
                    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
                    response.setContentLength(bytes.length);
                    response.getOutputStream().write(bytes);
                    return;
                } catch (RuntimeException e) {
                    error = e;
                }
            }
            problem(response, error);
        } catch (IOException | IllegalStateException e) {
            log.debug("the client left before its answer was written: {}", e.toString());
        }
    }

    private static void problem(HttpServletResponse response, Throwable error) throws IOException {
        Throwable cause = Throwables.unwrap(error);
        Failure failure;
        if (cause instanceof Failure f) {
            failure = f;
            if (f.kind() == Failure.Kind.ENGINE || f.kind() == Failure.Kind.INTERNAL) {
                log.error("request failed: {}", f.getMessage(), f.getCause() == null ? f : f.getCause());
            }
        } else {
            log.error("unexpected error", cause);
            failure = Failure.internal("the server failed to handle this request; see its log");
        }
        if (failure.retryAfterSeconds() != null) {
            response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(failure.retryAfterSeconds()));
        }
        Problems.write(response, failure);
    }

    /** Ends a request whose answer is overdue with a DEADLINE problem, unless the answer got there first. */
    private record Timeout(AtomicBoolean answered, HttpServletResponse response) implements AsyncListener {

        @Override
        public void onTimeout(AsyncEvent event) throws IOException {
            if (answered.compareAndSet(false, true)) {
                problem(response, Failure.deadline("no answer within the asynchronous request timeout"));
                event.getAsyncContext().complete();
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {}

        @Override
        public void onError(AsyncEvent event) {
            answered.set(true);
        }

        @Override
        public void onStartAsync(AsyncEvent event) {}
    }
}
