package dev.hearth.server.query;

import dev.hearth.query.InvalidQueryException;
import dev.hearth.query.QueryLimitException;
import dev.hearth.query.json.JsonWriter;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Maps query failures once: a bad parameter is 400 naming it (and the column of a parse error), a
 * query over the configured limits 422 naming the limit.
 */
@RestControllerAdvice(assignableTypes = QueryController.class)
public class QueryErrorHandler {

  @ExceptionHandler(InvalidQueryException.class)
  ResponseEntity<byte[]> invalid(InvalidQueryException e) {
    JsonWriter w =
        new JsonWriter()
            .beginObject()
            .field("error", "invalid query")
            .field("message", String.valueOf(e.getMessage()))
            .field("parameter", e.parameter());
    if (e.column() > 0) {
      w.field("column", e.column());
    }
    return body(HttpStatus.BAD_REQUEST, w.endObject());
  }

  @ExceptionHandler(QueryLimitException.class)
  ResponseEntity<byte[]> limit(QueryLimitException e) {
    return body(
        HttpStatus.UNPROCESSABLE_CONTENT,
        new JsonWriter()
            .beginObject()
            .field("error", "query too large")
            .field("message", String.valueOf(e.getMessage()))
            .field("limit", e.limit())
            .endObject());
  }

  private static ResponseEntity<byte[]> body(HttpStatus status, JsonWriter w) {
    return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(w.toBytes());
  }
}
