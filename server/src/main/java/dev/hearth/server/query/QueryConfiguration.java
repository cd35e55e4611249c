package dev.hearth.server.query;

import dev.hearth.query.QueryEngine;
import dev.hearth.server.config.QueryProperties;
import dev.hearth.storage.ProfileStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The query core over the configured store. */
@Configuration(proxyBeanMethods = false)
public class QueryConfiguration {

  @Bean
  QueryEngine queryEngine(ProfileStore store, QueryProperties query) {
    return new QueryEngine(store.queries(), query.limits());
  }
}
