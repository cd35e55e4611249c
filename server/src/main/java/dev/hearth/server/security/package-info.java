/**
 * Who a request is for: bearer tokens mapped to tenants, {@code X-Scope-OrgID} with multi-tenancy,
 * else the default tenant. One resolver, applied by a WebFlux filter and a gRPC interceptor, so
 * every transport (ingest, query, UI) agrees.
 */
@NullMarked
package dev.hearth.server.security;

import org.jspecify.annotations.NullMarked;
