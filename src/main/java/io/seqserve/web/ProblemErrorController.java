package io.seqserve.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors that never reach a controller (raised by the servlet container or a filter) still answer as
 * problem details instead of Boot's default error body.
 */
/** Hidden from the OpenAPI document: it is the container's error page, not an endpoint. */
@Hidden
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("/error")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : 500;
        HttpStatus resolved = HttpStatus.resolve(status);
        String title = resolved == null ? "Error" : resolved.getReasonPhrase();
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        String detail = status >= 500
                ? "the server failed to handle this request; see its log"
                : message instanceof String s && !s.isBlank() ? s : title;
        return ResponseEntity.status(status).body(Problems.of(status, title, detail));
    }
}
