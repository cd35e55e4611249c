package dev.hearth.ingest;

/**
 * A request refused by ingest. The {@link Kind} decides the status transports answer; the {@code
 * reason} is a short metric tag ({@code decode}, {@code samples_per_profile}, …); the message names
 * the field or limit at fault and never echoes the payload.
 */
public final class IngestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, and so the status: 400, 413, 415 or 429. */
  public enum Kind {
    /** Malformed or over a per-profile limit: 400 / {@code INVALID_ARGUMENT}. */
    INVALID(400),
    /** Over a size limit: 413 (gRPC {@code RESOURCE_EXHAUSTED}). */
    TOO_LARGE(413),
    /** A content type or format the endpoint does not read: 415. */
    UNSUPPORTED_MEDIA_TYPE(415),
    /** Too many bytes in flight: 429 / {@code RESOURCE_EXHAUSTED}, retry later. */
    OVERLOADED(429);

    private final int httpStatus;

    Kind(int httpStatus) {
      this.httpStatus = httpStatus;
    }

    public int httpStatus() {
      return httpStatus;
    }
  }

  private final Kind kind;
  private final String reason;

  public IngestException(Kind kind, String reason, String message) {
    super(message);
    this.kind = kind;
    this.reason = reason;
  }

  public static IngestException invalid(String reason, String message) {
    return new IngestException(Kind.INVALID, reason, message);
  }

  public static IngestException tooLarge(String message) {
    return new IngestException(Kind.TOO_LARGE, "too_large", message);
  }

  public static IngestException unsupported(String message) {
    return new IngestException(Kind.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", message);
  }

  public Kind kind() {
    return kind;
  }

  /** Short tag for the {@code reason} metric label. */
  public String reason() {
    return reason;
  }
}
