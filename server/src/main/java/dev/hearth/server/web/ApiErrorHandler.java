package dev.hearth.server.web;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebExchange;

/** Every failure of an annotated controller, answered through {@link ApiError}. */
@RestControllerAdvice
public class ApiErrorHandler {

  @ExceptionHandler(Throwable.class)
  ResponseEntity<byte[]> failed(Throwable e, ServerWebExchange exchange) {
    return ApiErrorResponses.entity(
        ApiError.of(
            e, exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath().value()));
  }
}
