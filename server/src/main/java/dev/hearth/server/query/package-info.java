/**
 * The query API's transports: REST under {@code /api/v1} and the gRPC {@code QueryService}, both
 * thin over {@link dev.hearth.query.QueryEngine}. The contract is in {@code query/openapi.yaml} and
 * {@code query/src/main/proto}.
 */
@NullMarked
package dev.hearth.server.query;

import org.jspecify.annotations.NullMarked;
