package dev.hearth.model.codec;

import org.jspecify.annotations.Nullable;

/**
 * A payload that cannot be decoded. The message names the format, the field or limit at fault, and
 * never echoes the payload itself; transports map it to 400 / {@code INVALID_ARGUMENT} (or 413 when
 * {@link #tooLarge()}).
 */
public class ProfileDecodeException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean tooLarge;

  public ProfileDecodeException(String message) {
    this(message, false, null);
  }

  public ProfileDecodeException(String message, Throwable cause) {
    this(message, false, cause);
  }

  private ProfileDecodeException(String message, boolean tooLarge, @Nullable Throwable cause) {
    super(message, cause);
    this.tooLarge = tooLarge;
  }

  /** A payload refused because it exceeds a size limit (HTTP 413). */
  public static ProfileDecodeException tooLarge(String message) {
    return new ProfileDecodeException(message, true, null);
  }

  /** Whether the payload was refused for its size rather than its content. */
  public boolean tooLarge() {
    return tooLarge;
  }
}
