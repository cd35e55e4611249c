/** The gRPC listener (4317): transports for OTLP ingest and the query API are bound here. */
@NullMarked
package dev.hearth.server.grpc;

import org.jspecify.annotations.NullMarked;
