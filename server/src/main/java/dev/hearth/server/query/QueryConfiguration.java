package dev.hearth.server.query;

import dev.hearth.query.QueryEngine;
import dev.hearth.query.pyroscope.PyroscopeRender;
import dev.hearth.query.request.Params;
import dev.hearth.server.config.QueryProperties;
import dev.hearth.server.rpc.ConnectRoutes;
import dev.hearth.server.security.Tenants;
import dev.hearth.server.web.ApiError;
import dev.hearth.server.web.ApiErrorResponses;
import dev.hearth.storage.ProfileStore;
import java.util.function.BiFunction;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/** The query core over the configured store. */
@Configuration(proxyBeanMethods = false)
public class QueryConfiguration {

  /** Hearth's {@code QueryService} over Connect, beside gRPC. */
  @Bean
  RouterFunction<ServerResponse> queryConnectRoutes(QueryGrpcService service) {
    return ConnectRoutes.of(service.methods());
  }

  /** Pyroscope's {@code querier.v1.QuerierService} over Connect, beside gRPC. */
  @Bean
  RouterFunction<ServerResponse> pyroscopeConnectRoutes(PyroscopeQuerierService service) {
    return ConnectRoutes.of(service.methods());
  }

  /** Pyroscope's legacy {@code /pyroscope/render} and {@code /pyroscope/label-values}. */
  @Bean
  RouterFunction<ServerResponse> pyroscopeLegacyRoutes(
      QueryEngine engine, PyroscopeQuerierService service) {
    PyroscopeRender render = new PyroscopeRender(engine, service.querier());
    return RouterFunctions.route()
        .GET("/pyroscope/render", r -> legacy(r, render::render))
        .GET("/pyroscope/label-values", r -> legacy(r, render::labelValues))
        .build();
  }

  private static Mono<ServerResponse> legacy(
      ServerRequest request, BiFunction<String, Params, Mono<byte[]>> call) {
    String tenant = Tenants.of(request.exchange());
    Params params = Params.of(name -> request.queryParam(name).orElse(null));
    return Mono.defer(() -> call.apply(tenant, params))
        .flatMap(
            body -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(body))
        .onErrorResume(
            e -> ApiErrorResponses.http(ApiError.of(e, request.path() + ", tenant " + tenant)));
  }

  @Bean
  QueryEngine queryEngine(ProfileStore store, QueryProperties query) {
    return new QueryEngine(store.queries(), query.limits());
  }
}
