package dev.hearth.server.ingest;

import dev.hearth.ingest.IngestListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Ingest metrics, tagged by {@code transport} and {@code tenant} (and {@code reason} for refusals):
 * {@code hearth_ingest_profiles_received_total}, {@code …_samples_received_total}, {@code
 * …_bytes_received_total}, {@code …_rejected_total}, {@code …_profiles_written_total}, {@code
 * …_samples_written_total}, {@code …_duplicates_total}, {@code …_truncated_stacks_total} and the
 * {@code hearth_ingest_latency_seconds} timer.
 */
final class MicrometerIngestListener implements IngestListener {
  private final MeterRegistry registry;

  MicrometerIngestListener(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void received(String transport, String tenant, long profiles, long samples, long bytes) {
    count("hearth.ingest.profiles.received", transport, tenant, profiles);
    count("hearth.ingest.samples.received", transport, tenant, samples);
    count("hearth.ingest.bytes.received", transport, tenant, bytes);
  }

  @Override
  public void rejected(String transport, String tenant, String reason, long profiles) {
    registry
        .counter(
            "hearth.ingest.rejected", "transport", transport, "tenant", tenant, "reason", reason)
        .increment(profiles);
  }

  @Override
  public void written(String transport, String tenant, long profiles, long samples) {
    count("hearth.ingest.profiles.written", transport, tenant, profiles);
    count("hearth.ingest.samples.written", transport, tenant, samples);
  }

  @Override
  public void duplicates(String transport, String tenant, long profiles) {
    count("hearth.ingest.duplicates", transport, tenant, profiles);
  }

  @Override
  public void truncatedStacks(String transport, String tenant, long stacks) {
    count("hearth.ingest.truncated.stacks", transport, tenant, stacks);
  }

  @Override
  public void latency(String transport, String tenant, long nanos) {
    Timer.builder("hearth.ingest.latency")
        .tags("transport", transport, "tenant", tenant)
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  private void count(String name, String transport, String tenant, long n) {
    registry.counter(name, "transport", transport, "tenant", tenant).increment(n);
  }
}
