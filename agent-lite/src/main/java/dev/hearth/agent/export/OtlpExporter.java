package dev.hearth.agent.export;

import dev.hearth.agent.profile.Batch;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientStreamTracer;
import io.grpc.ForwardingClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest;
import io.opentelemetry.proto.collector.profiles.v1development.ProfilesServiceGrpc;
import java.io.File;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * Sends batches to an OTLP profiles endpoint over gRPC with gzip. {@link #offer} never blocks: a
 * bounded queue holds what the network has not taken; when it is full the oldest batch is dropped
 * and counted. A failed export is retried with exponential backoff (1 s doubling to 60 s), keeping
 * its place at the head of the queue. With a token, every call carries {@code authorization: Bearer
 * <token>}; with TLS the server's certificate is verified (against a given CA file, else the JDK's
 * trust store).
 */
public final class OtlpExporter implements AutoCloseable {
  private static final Duration BACKOFF_MIN = Duration.ofSeconds(1);
  private static final Duration BACKOFF_MAX = Duration.ofSeconds(60);
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final ManagedChannel channel;
  private final ProfilesServiceGrpc.ProfilesServiceBlockingStub stub;
  private final BlockingQueue<ExportProfilesServiceRequest> queue;
  private final Thread sender;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong droppedSamples = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong wireBytes = new AtomicLong();
  private volatile boolean closing;

  /**
   * @param target {@code host:port}
   * @param token bearer token, or empty
   * @param tls whether to use TLS
   * @param caFile trusted CA certificates (PEM) for TLS, or null for the JDK's
   * @param capacity batches held while the server is unreachable
   */
  public OtlpExporter(
      String target, String token, boolean tls, @Nullable File caFile, int capacity) {
    NettyChannelBuilder builder = NettyChannelBuilder.forTarget(target);
    if (tls) {
      builder.useTransportSecurity();
      if (caFile != null) {
        try {
          builder.sslContext(GrpcSslContexts.forClient().trustManager(caFile).build());
        } catch (SSLException e) {
          throw new IllegalArgumentException(
              "cannot use CA file " + caFile + ": " + e.getMessage(), e);
        }
      }
    } else {
      builder.usePlaintext();
    }
    channel = builder.intercept(headers(token)).build();
    stub = ProfilesServiceGrpc.newBlockingStub(channel).withCompression("gzip");
    queue = new ArrayBlockingQueue<>(capacity);
    sender = new Thread(this::run, "hearth-export");
    sender.setDaemon(true);
    sender.start();
  }

  private ClientInterceptor headers(String token) {
    return new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(
          MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        CallOptions counted =
            options.withStreamTracerFactory(
                new ClientStreamTracer.Factory() {
                  @Override
                  public ClientStreamTracer newClientStreamTracer(
                      ClientStreamTracer.StreamInfo info, Metadata metadata) {
                    return new ClientStreamTracer() {
                      @Override
                      public void outboundWireSize(long bytes) {
                        wireBytes.addAndGet(bytes);
                      }
                    };
                  }
                });
        return new ForwardingClientCall.SimpleForwardingClientCall<>(
            next.newCall(method, counted)) {
          @Override
          public void start(Listener<R> listener, Metadata h) {
            if (!token.isEmpty()) {
              h.put(AUTHORIZATION, "Bearer " + token);
            }
            super.start(listener, h);
          }
        };
      }
    };
  }

  /** Queues a batch for sending; never blocks. Drops (and counts) the oldest batch when full. */
  public void offer(Batch batch) {
    if (batch.isEmpty()) {
      return;
    }
    ExportProfilesServiceRequest request = OtlpRequests.encode(batch);
    while (!queue.offer(request)) {
      ExportProfilesServiceRequest oldest = queue.poll();
      if (oldest != null) {
        dropped.incrementAndGet();
        droppedSamples.addAndGet(samples(oldest));
      }
    }
  }

  private static long samples(ExportProfilesServiceRequest r) {
    long n = 0;
    for (var rp : r.getResourceProfilesList()) {
      for (var sp : rp.getScopeProfilesList()) {
        for (var p : sp.getProfilesList()) {
          n += p.getSamplesCount();
        }
      }
    }
    return n;
  }

  private void run() {
    Duration backoff = BACKOFF_MIN;
    while (!closing || !queue.isEmpty()) {
      ExportProfilesServiceRequest next;
      try {
        next = queue.poll(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (next == null) {
        continue;
      }
      while (true) {
        try {
          stub.withDeadlineAfter(10, TimeUnit.SECONDS).export(next);
          sent.incrementAndGet();
          backoff = BACKOFF_MIN;
          break;
        } catch (RuntimeException e) {
          failures.incrementAndGet();
          if (closing) {
            dropped.incrementAndGet();
            return;
          }
          System.err.println(
              "hearth-agent: export failed ("
                  + e.getMessage()
                  + "), retrying in "
                  + backoff.toSeconds()
                  + " s");
          try {
            Thread.sleep(backoff);
          } catch (InterruptedException ie) {
            return;
          }
          backoff =
              backoff.multipliedBy(2).compareTo(BACKOFF_MAX) > 0
                  ? BACKOFF_MAX
                  : backoff.multipliedBy(2);
        }
      }
    }
  }

  /** Batches dropped because the queue was full (or left unsent at shutdown). */
  public long dropped() {
    return dropped.get();
  }

  /** Samples (OTLP sample rows) in dropped batches. */
  public long droppedSamples() {
    return droppedSamples.get();
  }

  /** Batches the server accepted. */
  public long sent() {
    return sent.get();
  }

  /** Failed export attempts. */
  public long failures() {
    return failures.get();
  }

  /** Bytes written to the network for requests (after compression). */
  public long wireBytes() {
    return wireBytes.get();
  }

  /** Sends what is queued (waiting at most {@code timeout}), then shuts the channel down. */
  public void close(Duration timeout) {
    closing = true;
    try {
      sender.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sender.interrupt();
    dropped.addAndGet(queue.size());
    channel.shutdownNow();
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }
}
