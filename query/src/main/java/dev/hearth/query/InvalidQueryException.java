package dev.hearth.query;

/**
 * A request parameter is missing or malformed: HTTP 400, gRPC {@code INVALID_ARGUMENT}. The message
 * names the parameter and, for parse errors, the 1-based column of the offending character.
 */
public final class InvalidQueryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String parameter;
  private final int column;

  public InvalidQueryException(String parameter, String message) {
    this(parameter, -1, message);
  }

  /**
   * @param column 1-based column of the offending character in the parameter's value, or -1
   */
  public InvalidQueryException(String parameter, int column, String message) {
    super(parameter + ": " + message + (column > 0 ? " (at column " + column + ")" : ""));
    this.parameter = parameter;
    this.column = column;
  }

  /** The request parameter at fault. */
  public String parameter() {
    return parameter;
  }

  /** 1-based column of the offending character, or -1 when the whole value is at fault. */
  public int column() {
    return column;
  }
}
