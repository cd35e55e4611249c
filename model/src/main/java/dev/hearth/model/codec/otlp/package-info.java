/**
 * OTLP profiles ({@code opentelemetry.proto.profiles.v1development}, opentelemetry-proto
 * 1.11.0-alpha) read and write, binary and JSON. Payloads laid out by opentelemetry-proto 1.8 and
 * 1.9 are recognised on the wire and converted; older layouts are refused. See {@link
 * dev.hearth.model.codec.otlp.OtlpDecoder}.
 */
@NullMarked
package dev.hearth.model.codec.otlp;

import org.jspecify.annotations.NullMarked;
