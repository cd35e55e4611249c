package dev.hearth.server.ingest;

import dev.hearth.ingest.IngestCore;
import dev.hearth.ingest.IngestLimits;
import dev.hearth.server.config.ClickHouseProperties;
import dev.hearth.server.config.IngestProperties;
import dev.hearth.storage.ProfileStore;
import io.grpc.BindableService;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** The ingest core over the store's writer, and the transports that feed it. */
@Configuration(proxyBeanMethods = false)
public class IngestConfiguration {

  @Bean(destroyMethod = "close")
  IngestCore ingestCore(
      ProfileStore store,
      IngestProperties properties,
      ClickHouseProperties clickhouse,
      MeterRegistry registry) {
    IngestLimits limits = properties.limits(Duration.ofDays(clickhouse.retentionDays()));
    IngestCore core =
        new IngestCore(store.writer(), limits, new MicrometerIngestListener(registry));
    Gauge.builder("hearth.ingest.in.flight", core, IngestCore::inFlightBytes)
        .baseUnit("bytes")
        .description("bytes of ingest requests being processed")
        .register(registry);
    return core;
  }

  /**
   * Every {@link HttpIngestFormat} on its path, through the one {@link HttpIngestHandler} frame;
   * other methods on those paths get 405.
   */
  @Bean
  RouterFunction<ServerResponse> ingestRoutes(IngestCore core, List<HttpIngestFormat> formats) {
    RouterFunctions.Builder routes = RouterFunctions.route();
    for (HttpIngestFormat format : formats) {
      routes.POST(format.path(), new HttpIngestHandler(core, format)::handle);
    }
    for (HttpIngestFormat format : formats) {
      routes.route(
          RequestPredicates.path(format.path()),
          r -> ServerResponse.status(405).header("Allow", "POST").build());
    }
    return routes.build();
  }

  @Bean
  BindableService otlpProfilesService(IngestCore core) {
    return new OtlpGrpcService(core);
  }
}
