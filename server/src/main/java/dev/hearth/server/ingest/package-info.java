/**
 * The ingest transports, thin adapters over {@link dev.hearth.ingest.IngestCore}: OTLP gRPC ({@code
 * ProfilesService/Export} on 4317), OTLP/HTTP ({@code POST /v1development/profiles}), Pyroscope's
 * {@code POST /ingest} and Pyroscope's {@code push.v1.PusherService/Push} over the Connect
 * protocol. Each reads its envelope, resolves nothing itself (the tenant comes from the security
 * filters) and maps the core's outcome to its protocol's status codes.
 */
@NullMarked
package dev.hearth.server.ingest;

import org.jspecify.annotations.NullMarked;
