package dev.hearth.storage.embedded;

import java.time.Duration;

/**
 * What one user of the embedded engine may use: written into the settings profiles of {@code
 * users.xml} at every start.
 *
 * @param maxQueryMemoryBytes memory one query of user {@code hearth} may use ({@code
 *     max_memory_usage}); beyond it the query fails
 * @param maxExecutionTime longest one query of user {@code hearth} may run ({@code
 *     max_execution_time}, whole seconds, at least 1)
 * @param maxConcurrentQueries queries user {@code hearth} may run at once ({@code
 *     max_concurrent_queries_for_user}); more fail at once instead of queueing
 */
public record EngineLimits(
    long maxQueryMemoryBytes, Duration maxExecutionTime, int maxConcurrentQueries) {

  /** Memory, time and concurrency granted to the password-less {@code default} user. */
  static final long DEFAULT_USER_MEMORY_BYTES = 64L << 20;

  static final int DEFAULT_USER_SECONDS = 5;

  public EngineLimits {
    if (maxQueryMemoryBytes < 1 << 20) {
      throw new IllegalArgumentException("engine query memory must be at least 1 MiB");
    }
    if (maxExecutionTime.toSeconds() < 1) {
      throw new IllegalArgumentException("engine query time must be at least 1 s");
    }
    if (maxConcurrentQueries < 1) {
      throw new IllegalArgumentException("engine concurrent queries must be at least 1");
    }
  }

  /** 4 GiB and 60 s per query, 64 queries at once. */
  public static EngineLimits defaults() {
    return new EngineLimits(4L << 30, Duration.ofSeconds(60), 64);
  }
}
