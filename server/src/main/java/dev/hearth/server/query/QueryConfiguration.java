package dev.hearth.server.query;

import dev.hearth.query.FrameSymbolizer;
import dev.hearth.query.QueryEngine;
import dev.hearth.server.config.QueryProperties;
import dev.hearth.storage.ProfileStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The query core over the configured store, naming unsymbolised frames with the symbolizer. */
@Configuration(proxyBeanMethods = false)
public class QueryConfiguration {

  @Bean
  QueryEngine queryEngine(ProfileStore store, QueryProperties query, FrameSymbolizer symbols) {
    return new QueryEngine(
        store.queries(), query.limits(), () -> System.currentTimeMillis() * 1_000_000L, symbols);
  }
}
