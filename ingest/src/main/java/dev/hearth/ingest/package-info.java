/**
 * The transport-neutral ingest core. Transports hand an {@link dev.hearth.ingest.IngestRequest} of
 * raw payloads to {@link dev.hearth.ingest.IngestCore}, which decodes them through the model's
 * codecs, validates them against {@link dev.hearth.ingest.IngestLimits}, normalises labels and
 * types, drops duplicates, batches across requests and writes through the storage SPI. A request's
 * {@code Mono} completes only once its data is stored.
 */
@NullMarked
package dev.hearth.ingest;

import org.jspecify.annotations.NullMarked;
