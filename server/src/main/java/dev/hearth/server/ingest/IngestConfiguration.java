package dev.hearth.server.ingest;

import dev.hearth.ingest.IngestCore;
import dev.hearth.server.config.IngestProperties;
import dev.hearth.storage.ProfileStore;
import io.grpc.BindableService;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
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
  IngestCore ingestCore(ProfileStore store, IngestProperties properties, MeterRegistry registry) {
    IngestCore core =
        new IngestCore(store.writer(), properties.limits(), new MicrometerIngestListener(registry));
    Gauge.builder("hearth.ingest.in.flight", core, IngestCore::inFlightBytes)
        .baseUnit("bytes")
        .description("bytes of ingest requests being processed")
        .register(registry);
    return core;
  }

  @Bean
  RouterFunction<ServerResponse> ingestRoutes(IngestCore core) {
    PyroscopeIngestHandler ingest = new PyroscopeIngestHandler(core);
    OtlpHttpHandler otlp = new OtlpHttpHandler(core);
    PyroscopePushHandler push = new PyroscopePushHandler(core);
    return RouterFunctions.route()
        .POST("/ingest", ingest::handle)
        .POST("/v1development/profiles", otlp::handle)
        .POST("/push.v1.PusherService/Push", push::handle)
        .route(
            RequestPredicates.path("/ingest")
                .or(RequestPredicates.path("/v1development/profiles"))
                .or(RequestPredicates.path("/push.v1.PusherService/Push")),
            r -> ServerResponse.status(405).header("Allow", "POST").build())
        .build();
  }

  @Bean
  BindableService otlpProfilesService(IngestCore core) {
    return new OtlpGrpcService(core);
  }
}
