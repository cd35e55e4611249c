/** OTLP gRPC export with backoff and a bounded buffer; one-shot pprof output. */
@NullMarked
package dev.hearth.agent.export;

import org.jspecify.annotations.NullMarked;
