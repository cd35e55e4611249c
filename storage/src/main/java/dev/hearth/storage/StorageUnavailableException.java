package dev.hearth.storage;

import org.jspecify.annotations.Nullable;

/**
 * Storage cannot take or serve the request now, for a reason that passes: the backend is
 * unreachable (an embedded engine that died and is restarting, an external server that is down),
 * its disk is full, it is read-only, or it has too many parts to merge. Transports answer 503 /
 * {@code UNAVAILABLE} with {@link #retryAfterSeconds()}; the client keeps its data and retries.
 */
public class StorageUnavailableException extends StorageException {
  private static final long serialVersionUID = 1L;

  /** Why storage is unavailable; the tag is what metrics and error bodies show. */
  public enum Reason {
    /** The backend does not answer. */
    UNREACHABLE("storage_unreachable", 5),
    /** The backend's disk is full. */
    DISK_FULL("storage_full", 30),
    /** The backend (or a table) is read-only. */
    READ_ONLY("storage_read_only", 30),
    /** Inserts come faster than the backend merges them. */
    TOO_MANY_PARTS("storage_too_many_parts", 5),
    /** The backend refuses work for now: memory, concurrency or a shutdown in progress. */
    OVERLOADED("storage_overloaded", 5);

    private final String tag;
    private final int retryAfterSeconds;

    Reason(String tag, int retryAfterSeconds) {
      this.tag = tag;
      this.retryAfterSeconds = retryAfterSeconds;
    }

    public String tag() {
      return tag;
    }

    public int retryAfterSeconds() {
      return retryAfterSeconds;
    }
  }

  private final Reason reason;

  public StorageUnavailableException(String message, @Nullable Throwable cause) {
    this(Reason.UNREACHABLE, message, cause);
  }

  public StorageUnavailableException(Reason reason, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** Seconds a client should wait before retrying. */
  public int retryAfterSeconds() {
    return reason.retryAfterSeconds();
  }
}
