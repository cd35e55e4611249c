package dev.hearth.server.ingest;

import java.nio.file.Path;
import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The server the ingest ITs share: embedded ClickHouse, a bearer token, small limits. */
abstract class IngestITContext {
  static final int GRPC_PORT = freePort();
  static final int MAX_STACK_DEPTH = 128;

  private static int freePort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    Path dataDir = Path.of("target", "ingest-it-" + UUID.randomUUID()).toAbsolutePath();
    registry.add("clickhouse.data-dir", dataDir::toString);
    registry.add("clickhouse.restart-delay", () -> "1s");
    registry.add("spring.grpc.server.port", () -> Integer.toString(GRPC_PORT));
    registry.add("hearth.auth.tokens[" + IngestClient.TOKEN + "]", () -> IngestClient.TENANT);
    registry.add("hearth.ingest.max-body-size", () -> "1MB");
    registry.add("hearth.ingest.max-decompressed-size", () -> "4MB");
    registry.add("hearth.ingest.max-in-flight-size", () -> "1MB");
    registry.add("hearth.ingest.max-samples-per-profile", () -> "5000");
    registry.add("hearth.ingest.max-labels-per-series", () -> "10");
    registry.add("hearth.ingest.max-label-value-length", () -> "100");
    registry.add("hearth.ingest.max-stack-depth", () -> Integer.toString(MAX_STACK_DEPTH));
    registry.add("hearth.ingest.batch-max-delay", () -> "50ms");
  }
}
