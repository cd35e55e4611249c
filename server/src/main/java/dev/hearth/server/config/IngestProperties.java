package dev.hearth.server.config;

import dev.hearth.ingest.IngestLimits;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Ingest limits and batching, shared by every ingest transport.
 *
 * @param maxBodySize largest request body as sent (compressed); larger bodies get 413
 * @param maxDecompressedSize largest payload after gunzip, checked while decompressing, so a gzip
 *     bomb costs no more than this; larger payloads get 413. Also the gRPC listener's largest
 *     message
 * @param maxSamplesPerProfile most samples in one profile; more is refused with 400
 * @param maxLabelsPerSeries most labels on a series, {@code service_name} included (400)
 * @param maxLabelNameLength longest label name (400)
 * @param maxLabelValueLength longest label value (400)
 * @param maxSeriesPerTenant most series a tenant may have active; a profile that would add one more
 *     is refused with 400
 * @param seriesIdleTimeout how long a series counts as active after its last profile
 * @param maxStackDepth deepest stack stored; deeper stacks keep their root-most frames below a
 *     {@code [truncated]} frame and are counted in {@code hearth_ingest_truncated_stacks_total}
 * @param maxInFlightSize bytes of requests processed at once; beyond it 429 / {@code
 *     RESOURCE_EXHAUSTED} with a retry hint
 * @param batchMaxSamples samples that make a storage write at once
 * @param batchMaxWrites storage writes in flight at once; a request arriving while fewer are in
 *     flight is written at once, the others join the next batch (group commit)
 * @param batchMaxDelay longest a profile waits for its batch while {@code batchMaxWrites} writes
 *     are in flight before it is written anyway (requests are answered once written); 0 writes each
 *     request on its own
 * @param maxRequestMemory heap one request's decoded profiles may take, estimated from their
 *     distinct stacks, locations, functions and samples; beyond it 413 naming this key. The
 *     estimate counts against {@code maxInFlightSize} until the request is answered
 * @param dedupWindow recently written profiles remembered to drop exact duplicates; 0 turns it off
 * @param cumulativeSeries series whose last cumulative profile is kept to compute the next delta
 * @param maxFutureSkew how far ahead of the server's clock a profile or sample time may be (clients
 *     with a fast clock); later times are refused with 400 naming the field
 */
@ConfigurationProperties("hearth.ingest")
public record IngestProperties(
    @DefaultValue("16MB") DataSize maxBodySize,
    @DefaultValue("64MB") DataSize maxDecompressedSize,
    @DefaultValue("1000000") int maxSamplesPerProfile,
    @DefaultValue("30") int maxLabelsPerSeries,
    @DefaultValue("1024") int maxLabelNameLength,
    @DefaultValue("2048") int maxLabelValueLength,
    @DefaultValue("100000") int maxSeriesPerTenant,
    @DefaultValue("1h") Duration seriesIdleTimeout,
    @DefaultValue("1024") int maxStackDepth,
    @DefaultValue("256MB") DataSize maxInFlightSize,
    @DefaultValue("100000") int batchMaxSamples,
    @DefaultValue("1") int batchMaxWrites,
    @DefaultValue("200ms") Duration batchMaxDelay,
    @DefaultValue("128MB") DataSize maxRequestMemory,
    @DefaultValue("100000") int dedupWindow,
    @DefaultValue("10000") int cumulativeSeries,
    @DefaultValue("10m") Duration maxFutureSkew) {

  /** The limits, with the default retention (the server passes the configured one). */
  public IngestLimits limits() {
    return limits(IngestLimits.defaults().retention());
  }

  /** The limits, refusing times older than {@code retention} (the storage's). */
  public IngestLimits limits(Duration retention) {
    return new IngestLimits(
        maxBodySize.toBytes(),
        maxDecompressedSize.toBytes(),
        maxSamplesPerProfile,
        maxLabelsPerSeries,
        maxLabelNameLength,
        maxLabelValueLength,
        maxSeriesPerTenant,
        seriesIdleTimeout,
        maxStackDepth,
        maxInFlightSize.toBytes(),
        batchMaxSamples,
        batchMaxWrites,
        batchMaxDelay,
        maxRequestMemory.toBytes(),
        dedupWindow,
        cumulativeSeries,
        maxFutureSkew,
        retention);
  }

  /** Every problem with these settings, each naming its key. */
  public List<String> problems() {
    return limits().problems("hearth.ingest.");
  }
}
