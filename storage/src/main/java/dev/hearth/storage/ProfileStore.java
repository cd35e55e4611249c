package dev.hearth.storage;

import reactor.core.publisher.Mono;

/**
 * A started storage backend: the writer and the queries over one database, and a health check.
 * Closing it releases connections (and stops an embedded engine it started).
 */
public interface ProfileStore extends AutoCloseable {

  ProfileWriter writer();

  ProfileQueries queries();

  /** Where symbolised frames are kept; a backend without such a table keeps none. */
  default SymbolStore symbols() {
    return SymbolStore.NONE;
  }

  /**
   * A round trip to the backend. Never errors: a failure is a {@link StorageHealth} that is not up
   * and says why.
   */
  Mono<StorageHealth> check();

  @Override
  void close();
}
