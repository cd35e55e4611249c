package dev.hearth.server.grpc;

import io.grpc.BindableService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Services on the gRPC listener that every deployment has. Server reflection lets {@code grpcurl}
 * and similar tools list and call Hearth's services without the proto files. It is registered here
 * rather than by Spring gRPC ({@code spring.grpc.server.reflection.enabled: false}) because Spring
 * gRPC starts a server, and adds its {@code grpc.health.v1} service, only once the application has
 * a service of its own: this one keeps 4317 listening before the ingest and query services exist.
 */
@Configuration(proxyBeanMethods = false)
public class GrpcConfiguration {

  @Bean
  BindableService grpcReflection() {
    return ProtoReflectionServiceV1.newInstance();
  }
}
