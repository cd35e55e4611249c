package dev.hearth.storage.embedded;

import java.io.Serial;

/**
 * The embedded ClickHouse could not be fetched, started or reached. The message names what failed
 * and, where there is one, the fix.
 */
public final class EmbeddedClickHouseException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  public EmbeddedClickHouseException(String message) {
    super(message);
  }

  public EmbeddedClickHouseException(String message, Throwable cause) {
    super(message, cause);
  }
}
