package dev.hearth.storage;

import org.jspecify.annotations.Nullable;

/**
 * A read stopped because it would have scanned more rows than the backend's configured limit
 * allows; the caller should narrow the selection or the range, not retry.
 */
public class StorageLimitException extends StorageException {
  private static final long serialVersionUID = 1L;

  public StorageLimitException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
