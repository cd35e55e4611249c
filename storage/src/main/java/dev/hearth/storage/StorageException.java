package dev.hearth.storage;

import org.jspecify.annotations.Nullable;

/** A storage operation failed for a reason other than the backend being unreachable. */
public class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StorageException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
