package dev.hearth.storage;

import org.jspecify.annotations.Nullable;

/**
 * The backend cannot be reached (an embedded engine that died and is restarting, an external server
 * that is down). Transports answer 503 / {@code UNAVAILABLE}; the client should retry.
 */
public class StorageUnavailableException extends StorageException {
  private static final long serialVersionUID = 1L;

  public StorageUnavailableException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
