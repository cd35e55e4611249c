package dev.hearth.symbols;

import java.io.IOException;

/** A file offered as debug info that is not sound ELF; the message says what is wrong. */
public final class CorruptDebugFileException extends IOException {
  private static final long serialVersionUID = 1L;

  public CorruptDebugFileException(String message) {
    super(message);
  }
}
