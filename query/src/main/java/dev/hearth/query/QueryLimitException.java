package dev.hearth.query;

/**
 * A query would do more work than the configured limits allow: HTTP 422, gRPC {@code
 * RESOURCE_EXHAUSTED}. The message names the limit, its value and how to narrow the query.
 */
public final class QueryLimitException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String limit;

  public QueryLimitException(String limit, String message) {
    super(message);
    this.limit = limit;
  }

  /** The configuration key of the limit that was hit, e.g. {@code hearth.query.max-stacks}. */
  public String limit() {
    return limit;
  }
}
