package dev.hearth.server.query;

import dev.hearth.query.FrameSymbolizer;
import dev.hearth.query.QueryEngine;
import dev.hearth.query.QueryLimits;
import dev.hearth.server.config.QueryProperties;
import dev.hearth.storage.ProfileStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The query core over the configured store. */
@Configuration(proxyBeanMethods = false)
public class QueryConfiguration {

  @Bean
  QueryEngine queryEngine(ProfileStore store, QueryProperties query, FrameSymbolizer symbols) {
    return new QueryEngine(
        store.queries(),
        new QueryLimits(
            query.defaultMaxNodes(),
            query.maxNodes(),
            query.maxStacks(),
            query.maxTreeNodes(),
            query.resultCacheSize(),
            query.resultCacheTtl(),
            query.closedAfter(),
            query.stackCacheSize()),
        () -> System.currentTimeMillis() * 1_000_000L,
        symbols);
  }
}
