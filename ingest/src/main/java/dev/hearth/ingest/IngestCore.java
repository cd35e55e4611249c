package dev.hearth.ingest;

import dev.hearth.model.Profile;
import dev.hearth.model.Temporality;
import dev.hearth.storage.ProfileWriter;
import dev.hearth.storage.StorageUnavailableException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The one ingest pipeline every transport calls: decode → validate and normalise → turn cumulative
 * values into deltas → drop duplicates → cap series → batch → write. A request's {@code Mono}
 * completes with an {@link IngestResult} only once its profiles are stored (acknowledge after
 * write); it fails with an {@link IngestException} when the request is refused, and with the
 * storage's {@link dev.hearth.storage.StorageException} (or {@link StorageUnavailableException})
 * when the write fails, in which case nothing of it counts as acknowledged.
 *
 * <p>Decoding runs on a bounded pool of its own, never on a transport's event loop. Memory is
 * bounded by {@link InFlightBytes}: transports {@link #admit} a request's body before reading it.
 */
public final class IngestCore implements AutoCloseable {
  private final IngestLimits limits;
  private final IngestListener listener;
  private final InFlightBytes inFlight;
  private final Decoder decoder;
  private final Normaliser normaliser;
  private final RecentProfiles recent;
  private final ActiveSeries series;
  private final CumulativeProfiles cumulative;
  private final BatchingWriter batches;
  private final ScheduledExecutorService timer;
  private final Scheduler decoding;

  public IngestCore(ProfileWriter writer, IngestLimits limits, IngestListener listener) {
    this.limits = limits;
    this.listener = listener;
    this.inFlight = new InFlightBytes(limits.maxInFlightBytes());
    this.decoder = new Decoder(limits.maxDecompressedBytes(), limits.maxRequestMemory());
    this.normaliser = new Normaliser(limits);
    this.recent = new RecentProfiles(limits.dedupWindowEntries());
    this.series =
        new ActiveSeries(
            limits.maxSeriesPerTenant(),
            limits.seriesIdleTimeout(),
            writer,
            ActiveSeries.FLEET_REFRESH);
    this.cumulative = new CumulativeProfiles(limits.cumulativeSeries());
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "hearth-ingest-batches");
              t.setDaemon(true);
              return t;
            });
    this.batches =
        new BatchingWriter(
            writer,
            limits.batchMaxSamples(),
            limits.batchMaxWrites(),
            limits.batchMaxDelay(),
            timer);
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    this.decoding = Schedulers.newBoundedElastic(threads, 10_000, "hearth-ingest-decode", 60, true);
  }

  public IngestLimits limits() {
    return limits;
  }

  /** Bytes of requests held now. */
  public long inFlightBytes() {
    return inFlight.used();
  }

  /**
   * Reserves {@code bytes} of the in-flight budget for a request about to be read; throws {@link
   * IngestException.Kind#OVERLOADED} when the server holds too much already.
   */
  public InFlightBytes.Permit admit(String transport, String tenant, long bytes) {
    try {
      return inFlight.acquire(bytes);
    } catch (IngestException e) {
      listener.rejected(transport, tenant, e.reason(), 1);
      throw e;
    }
  }

  /** Ingests a request whose body is already in memory, reserving its size first. */
  public Mono<IngestResult> ingest(IngestRequest request) {
    return Mono.defer(
        () -> ingest(request, admit(request.transport(), request.tenant(), request.size())));
  }

  /** Ingests a request under a permit from {@link #admit}, which this releases when done. */
  public Mono<IngestResult> ingest(IngestRequest request, InFlightBytes.Permit permit) {
    long start = System.nanoTime();
    String transport = request.transport();
    String tenant = request.tenant();
    return Mono.fromCallable(() -> prepare(request, permit))
        .subscribeOn(decoding)
        .flatMap(
            prepared ->
                batches
                    .submit(tenant, prepared.toWrite)
                    .then(Mono.fromCallable(() -> committed(request, prepared))))
        .doOnError(
            e ->
                listener.rejected(
                    transport,
                    tenant,
                    switch (e) {
                      case IngestException ie -> ie.reason();
                      case StorageUnavailableException su -> "storage_unavailable";
                      default -> "internal";
                    },
                    1))
        .doFinally(
            signal -> {
              permit.close();
              listener.latency(transport, tenant, System.nanoTime() - start);
            });
  }

  private static final class Prepared {
    final List<Profile> toWrite = new ArrayList<>();
    final List<Long> fingerprints = new ArrayList<>();
    final List<Profile> cumulativeInputs = new ArrayList<>();
    final List<String> errors = new ArrayList<>();
    int accepted;
    int rejected;
    long samples;
  }

  private Prepared prepare(IngestRequest request, InFlightBytes.Permit permit) {
    String tenant = request.tenant();
    String transport = request.transport();
    List<Decoder.Decoded> decoded = new ArrayList<>();
    for (Payload payload : request.payloads()) {
      decoded.addAll(decoder.decode(payload, permit));
    }
    long received = 0;
    List<Profile> profiles = new ArrayList<>(decoded.size());
    for (Decoder.Decoded d : decoded) {
      received += d.profile().samples().size();
      profiles.add(d.profile());
    }
    budget(profiles, permit);
    listener.received(transport, tenant, decoded.size(), received, request.size());

    Prepared out = new Prepared();
    Set<Long> inRequest = new HashSet<>();
    int duplicates = 0;
    int truncated = 0;
    IngestException first = null;
    for (Decoder.Decoded d : decoded) {
      try {
        Normaliser.Normalised n = normaliser.normalise(d);
        Profile p = n.profile();
        if (p.temporality() == Temporality.CUMULATIVE) {
          Profile delta = cumulative.delta(tenant, p);
          if (delta == null) {
            out.accepted++;
            continue;
          }
          out.cumulativeInputs.add(p);
          p = delta;
        }
        if (p.samples().isEmpty()) {
          out.accepted++;
          continue;
        }
        long fingerprint = RecentProfiles.fingerprint(tenant, p);
        if (recent.contains(fingerprint) || !inRequest.add(fingerprint)) {
          duplicates++;
          out.accepted++;
          continue;
        }
        series.admit(tenant, p.seriesId(), p.type() + p.labels().toString());
        truncated += n.truncatedStacks();
        out.toWrite.add(p);
        out.fingerprints.add(fingerprint);
        out.samples += p.samples().size();
        out.accepted++;
      } catch (IngestException e) {
        if (!request.partialSuccess()) {
          throw e;
        }
        if (first == null) {
          first = e;
        }
        out.rejected++;
        out.errors.add(e.getMessage());
        listener.rejected(transport, tenant, e.reason(), 1);
      }
    }
    if (first != null && out.accepted == 0) {
      // Nothing of the request is usable: refuse it as a whole, as OTLP asks.
      throw first;
    }
    if (duplicates > 0) {
      listener.duplicates(transport, tenant, duplicates);
    }
    if (truncated > 0) {
      listener.truncatedStacks(transport, tenant, truncated);
    }
    return out;
  }

  /**
   * Refuses a request whose decoded profiles take more than the per-request memory budget, and
   * holds what they take in the in-flight budget until the request is answered.
   */
  private void budget(List<Profile> profiles, InFlightBytes.Permit permit) {
    if (permit.held() * RequestMemory.MAX_EXPANSION < limits.maxRequestMemory()) {
      // Too small to reach the budget: not worth walking its stacks (the walk costs ~10% of
      // ingest).
      return;
    }
    long bytes = RequestMemory.estimate(profiles);
    if (bytes > limits.maxRequestMemory()) {
      throw IngestException.tooLarge(
          "the request's profiles take about "
              + (bytes >> 20)
              + " MiB once decoded (distinct stacks, locations, functions and samples); the"
              + " limit (hearth.ingest.max-request-memory) is "
              + (limits.maxRequestMemory() >> 20)
              + " MiB: send fewer distinct stacks per request");
    }
    permit.grow(bytes);
  }

  private IngestResult committed(IngestRequest request, Prepared prepared) {
    prepared.fingerprints.forEach(recent::add);
    for (Profile p : prepared.cumulativeInputs) {
      cumulative.advance(request.tenant(), p);
    }
    listener.written(
        request.transport(), request.tenant(), prepared.toWrite.size(), prepared.samples);
    return new IngestResult(
        prepared.accepted, prepared.rejected, prepared.errors, prepared.samples);
  }

  /** Writes pending batches and stops the decode pool. */
  @Override
  public void close() {
    batches.close();
    timer.shutdown();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    decoding.dispose();
  }
}
