package dev.hearth.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What one request, profile or tenant may send, and how writes are batched.
 *
 * @param maxBodyBytes largest request body as sent (compressed); beyond it 413
 * @param maxDecompressedBytes largest payload after gunzip, checked while streaming; beyond it 413
 * @param maxSamplesPerProfile most samples in one profile; beyond it the profile is refused (400)
 * @param maxLabelsPerSeries most labels on one series, {@code service_name} included (400)
 * @param maxLabelNameLength longest label name, in characters (400)
 * @param maxLabelValueLength longest label value, in characters (400)
 * @param maxSeriesPerTenant most distinct series one tenant may have active (written within the
 *     last {@code seriesIdleTimeout}); a profile that would add one more is refused (400)
 * @param seriesIdleTimeout how long a series counts as active after its last profile
 * @param maxStackDepth deepest stack kept; deeper stacks keep their root-most frames below a {@code
 *     [truncated]} marker frame, and are counted, not refused
 * @param maxInFlightBytes bytes of request bodies (and their decompressed payloads) held at once;
 *     beyond it requests are refused with 429 / {@code RESOURCE_EXHAUSTED} and a retry hint
 * @param batchMaxSamples samples that make a batch write at once
 * @param batchMaxWrites storage writes in flight at once; a request arriving while fewer are in
 *     flight is written at once, others join the next batch (group commit)
 * @param batchMaxDelay longest a profile waits for its batch while {@code batchMaxWrites} writes
 *     are in flight before it is written anyway; zero writes every request on its own
 * @param maxRequestMemory heap one request's decoded profiles may take (estimated from their
 *     distinct stacks, locations, functions and samples); beyond it 413, and the estimate counts
 *     against {@code maxInFlightBytes} until the request is answered
 * @param dedupWindowEntries how many recently written profiles are remembered to drop exact
 *     duplicates (client retries); zero turns deduplication off
 * @param cumulativeSeries how many series' last cumulative profiles are kept to turn the next one
 *     into a delta
 * @param maxFutureSkew how far ahead of the server's clock a profile or sample time may be; later
 *     ones are refused (400), as they would be stored under a day the retention never reaches
 * @param retention how old a profile or sample time may be: the storage's retention; older ones are
 *     refused (400) rather than acknowledged and then dropped with their day partition
 */
public record IngestLimits(
    long maxBodyBytes,
    long maxDecompressedBytes,
    int maxSamplesPerProfile,
    int maxLabelsPerSeries,
    int maxLabelNameLength,
    int maxLabelValueLength,
    int maxSeriesPerTenant,
    Duration seriesIdleTimeout,
    int maxStackDepth,
    long maxInFlightBytes,
    int batchMaxSamples,
    int batchMaxWrites,
    Duration batchMaxDelay,
    long maxRequestMemory,
    int dedupWindowEntries,
    int cumulativeSeries,
    Duration maxFutureSkew,
    Duration retention) {

  /** The defaults documented in {@code application.yml}. */
  public static IngestLimits defaults() {
    return new IngestLimits(
        16L << 20,
        64L << 20,
        1_000_000,
        30,
        1024,
        2048,
        100_000,
        Duration.ofHours(1),
        1024,
        256L << 20,
        100_000,
        1,
        Duration.ofMillis(200),
        128L << 20,
        100_000,
        10_000,
        Duration.ofMinutes(10),
        Duration.ofDays(30));
  }

  /** These limits with the storage's {@code retention}. */
  public IngestLimits withRetention(Duration retention) {
    return new IngestLimits(
        maxBodyBytes,
        maxDecompressedBytes,
        maxSamplesPerProfile,
        maxLabelsPerSeries,
        maxLabelNameLength,
        maxLabelValueLength,
        maxSeriesPerTenant,
        seriesIdleTimeout,
        maxStackDepth,
        maxInFlightBytes,
        batchMaxSamples,
        batchMaxWrites,
        batchMaxDelay,
        maxRequestMemory,
        dedupWindowEntries,
        cumulativeSeries,
        maxFutureSkew,
        retention);
  }

  /** Every problem with these limits, each named by its key under {@code prefix}. */
  public List<String> problems(String prefix) {
    List<String> out = new ArrayList<>();
    positive(out, prefix + "max-body-size", maxBodyBytes);
    positive(out, prefix + "max-decompressed-size", maxDecompressedBytes);
    positive(out, prefix + "max-samples-per-profile", maxSamplesPerProfile);
    positive(out, prefix + "max-labels-per-series", maxLabelsPerSeries);
    positive(out, prefix + "max-label-name-length", maxLabelNameLength);
    positive(out, prefix + "max-label-value-length", maxLabelValueLength);
    positive(out, prefix + "max-series-per-tenant", maxSeriesPerTenant);
    positive(out, prefix + "max-stack-depth", maxStackDepth);
    positive(out, prefix + "max-in-flight-size", maxInFlightBytes);
    positive(out, prefix + "batch-max-samples", batchMaxSamples);
    positive(out, prefix + "batch-max-writes", batchMaxWrites);
    positive(out, prefix + "max-request-memory", maxRequestMemory);
    // Bodies and decompressed payloads are held in byte arrays.
    if (maxBodyBytes > Integer.MAX_VALUE - 8) {
      out.add(prefix + "max-body-size must be below 2GB");
    }
    if (maxDecompressedBytes > Integer.MAX_VALUE - 8) {
      out.add(prefix + "max-decompressed-size must be below 2GB");
    }
    if (maxStackDepth < 2 && maxStackDepth > 0) {
      out.add(prefix + "max-stack-depth must be at least 2 (one frame and the marker)");
    }
    if (maxInFlightBytes > 0 && maxBodyBytes > maxInFlightBytes) {
      out.add(
          prefix
              + "max-in-flight-size must be at least "
              + prefix
              + "max-body-size, or no request fits");
    }
    if (seriesIdleTimeout.isNegative() || seriesIdleTimeout.isZero()) {
      out.add(prefix + "series-idle-timeout must be a positive duration");
    }
    if (batchMaxDelay.isNegative()) {
      out.add(prefix + "batch-max-delay must not be negative");
    }
    if (dedupWindowEntries < 0) {
      out.add(prefix + "dedup-window must not be negative");
    }
    if (cumulativeSeries < 0) {
      out.add(prefix + "cumulative-series must not be negative");
    }
    if (maxFutureSkew.isNegative()) {
      out.add(prefix + "max-future-skew must not be negative");
    }
    return out;
  }

  private static void positive(List<String> out, String key, long value) {
    if (value <= 0) {
      out.add(key + " must be positive (is " + value + ")");
    }
  }
}
