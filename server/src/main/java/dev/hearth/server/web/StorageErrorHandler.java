package dev.hearth.server.web;

import dev.hearth.storage.StorageException;
import dev.hearth.storage.StorageUnavailableException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Maps storage failures once for every HTTP endpoint: an unreachable ClickHouse is 503 with a retry
 * hint (the client keeps its data and retries), any other storage failure 500 with one log line.
 */
@RestControllerAdvice
public class StorageErrorHandler {
  private static final Logger log = LoggerFactory.getLogger(StorageErrorHandler.class);

  @ExceptionHandler(StorageUnavailableException.class)
  ResponseEntity<Map<String, String>> unavailable(StorageUnavailableException e) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, "5")
        .body(Map.of("error", "storage unavailable", "message", String.valueOf(e.getMessage())));
  }

  @ExceptionHandler(StorageException.class)
  ResponseEntity<Map<String, String>> failed(StorageException e) {
    log.error("storage failure: {}", e.getMessage());
    return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
        .body(Map.of("error", "storage failure", "message", String.valueOf(e.getMessage())));
  }
}
