package dev.hearth.server.ingest;

import dev.hearth.model.codec.Gzip;
import dev.hearth.model.codec.pprof.proto.PprofProto;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** The malformed-input table: each row a request as a broken or hostile client sends it. */
final class Malformed {
  private Malformed() {}

  record Row(
      String path, String contentType, byte[] body, Map<String, String> headers, int status) {}

  static Arguments row(String name, Row row) {
    return Arguments.of(name, row);
  }

  static Stream<Arguments> rows() {
    byte[] otlp = IngestIT.otlpRequest("malformed-app").toByteArray();
    byte[] bomb = Gzip.gzip(new byte[50 << 20]);
    String tooLong = "x".repeat(200);
    StringBuilder manySamples = new StringBuilder();
    for (int i = 0; i < 6000; i++) {
      manySamples.append("main;f").append(i).append(" 1\n");
    }
    return Stream.of(
        row(
            "truncated OTLP protobuf",
            new Row(
                "/v1development/profiles",
                "application/x-protobuf",
                Arrays.copyOf(otlp, otlp.length / 2),
                Map.of(),
                400)),
        row(
            "OTLP with a wrong content type",
            new Row("/v1development/profiles", "text/plain", otlp, Map.of(), 415)),
        row(
            "push.v1 with a wrong content type",
            new Row("/push.v1.PusherService/Push", "application/xml", otlp, Map.of(), 415)),
        row(
            "truncated push.v1 protobuf",
            new Row(
                "/push.v1.PusherService/Push",
                "application/proto",
                new byte[] {0x0a, 0x7f, 0x01},
                Map.of(),
                400)),
        row(
            "gzip bomb as Content-Encoding",
            new Row(
                "/ingest?name=bomb.cpu",
                "text/plain",
                bomb,
                Map.of("Content-Encoding", "gzip"),
                413)),
        row(
            "gzip bomb as a pprof body",
            new Row(
                "/ingest?name=bomb&format=pprof", "application/octet-stream", bomb, Map.of(), 413)),
        row(
            "gzip bomb as OTLP",
            new Row("/v1development/profiles", "application/x-protobuf", bomb, Map.of(), 413)),
        row(
            "oversized body",
            new Row("/ingest?name=big.cpu", "text/plain", new byte[2 << 20], Map.of(), 413)),
        row(
            "invalid label name",
            new Row("/ingest?name=app.cpu%7Bb%40d%3Dx%7D", "text/plain", folded(), Map.of(), 400)),
        row(
            "label value over the limit",
            new Row(
                "/ingest?name=app.cpu%7Benv%3D" + tooLong + "%7D",
                "text/plain",
                folded(),
                Map.of(),
                400)),
        row(
            "samples over the limit",
            new Row(
                "/ingest?name=app.cpu",
                "text/plain",
                manySamples.toString().getBytes(StandardCharsets.UTF_8),
                Map.of(),
                400)),
        row(
            "empty body",
            new Row("/ingest?name=app.cpu", "text/plain", new byte[0], Map.of(), 400)),
        row(
            "malformed folded line",
            new Row(
                "/ingest?name=app.cpu",
                "text/plain",
                "main;work twelve\n".getBytes(StandardCharsets.UTF_8),
                Map.of(),
                400)),
        row(
            "unknown format",
            new Row("/ingest?name=app&format=speedy", "text/plain", folded(), Map.of(), 400)),
        row(
            "Pyroscope's legacy trie format",
            new Row("/ingest?name=app&format=trie", "text/plain", folded(), Map.of(), 415)),
        row(
            "until before from",
            new Row(
                "/ingest?name=app.cpu&from=1764100010&until=1764100000",
                "text/plain",
                folded(),
                Map.of(),
                400)),
        row(
            "from older than the retention",
            new Row("/ingest?name=app.cpu&from=1000000000", "text/plain", folded(), Map.of(), 400)),
        row(
            "from a day ahead of the server's clock",
            new Row(
                "/ingest?name=app.cpu&from=" + (System.currentTimeMillis() / 1000 + 86_400),
                "text/plain",
                folded(),
                Map.of(),
                400)),
        row(
            "empty profile is accepted and stores nothing",
            new Row(
                "/ingest?name=empty-app&format=pprof",
                "application/octet-stream",
                emptyPprof(),
                Map.of(),
                200)),
        row(
            "pprof location id out of range",
            new Row(
                "/ingest?name=app&format=pprof",
                "application/octet-stream",
                pprofWithUnknownLocation(),
                Map.of(),
                400)),
        row(
            "pprof string index out of range",
            new Row(
                "/ingest?name=app&format=pprof",
                "application/octet-stream",
                pprofWithStringOutOfRange(),
                Map.of(),
                400)),
        row(
            "OTLP stack index out of range",
            new Row(
                "/v1development/profiles",
                "application/x-protobuf",
                otlpWithStackOutOfRange(),
                Map.of(),
                400)),
        row(
            "OTLP from opentelemetry-proto 1.7",
            new Row(
                "/v1development/profiles",
                "application/x-protobuf",
                otlpOneSeven(),
                Map.of(),
                400)),
        row(
            "JFR that is not a recording",
            new Row(
                "/ingest?name=app&format=jfr",
                "application/octet-stream",
                "not a recording".getBytes(StandardCharsets.UTF_8),
                Map.of(),
                400)),
        row(
            "no bearer token",
            new Row(
                "/ingest?name=app.cpu", "text/plain", folded(), Map.of("Authorization", ""), 401)),
        row(
            "wrong bearer token",
            new Row(
                "/v1development/profiles",
                "application/x-protobuf",
                otlp,
                Map.of("Authorization", "Bearer not-the-token-0123456789"),
                401)));
  }

  private static byte[] folded() {
    return "main;work 1\n".getBytes(StandardCharsets.UTF_8);
  }

  private static PprofProto.Profile.Builder cpuPprof() {
    return PprofProto.Profile.newBuilder()
        .addStringTable("")
        .addStringTable("cpu")
        .addStringTable("nanoseconds")
        .addStringTable("main")
        .addSampleType(PprofProto.ValueType.newBuilder().setType(1).setUnit(2))
        .setPeriodType(PprofProto.ValueType.newBuilder().setType(1).setUnit(2))
        .setPeriod(10_000_000);
  }

  private static byte[] emptyPprof() {
    return cpuPprof().build().toByteArray();
  }

  private static byte[] pprofWithUnknownLocation() {
    return cpuPprof()
        .addSample(PprofProto.Sample.newBuilder().addLocationId(99).addValue(10))
        .build()
        .toByteArray();
  }

  private static byte[] pprofWithStringOutOfRange() {
    return cpuPprof()
        .addFunction(PprofProto.Function.newBuilder().setId(1).setName(999))
        .addLocation(
            PprofProto.Location.newBuilder()
                .setId(1)
                .addLine(PprofProto.Line.newBuilder().setFunctionId(1)))
        .addSample(PprofProto.Sample.newBuilder().addLocationId(1).addValue(10))
        .build()
        .toByteArray();
  }

  private static byte[] otlpWithStackOutOfRange() {
    ExportProfilesServiceRequest.Builder b = IngestIT.otlpRequest("bad-stack-app").toBuilder();
    b.getResourceProfilesBuilder(0)
        .getScopeProfilesBuilder(0)
        .getProfilesBuilder(0)
        .getSamplesBuilder(0)
        .setStackIndex(99);
    return b.build().toByteArray();
  }

  /** A 1.7-era profile: repeated sample_type, samples with (start, length, value). */
  private static byte[] otlpOneSeven() {
    byte[] valueType = new Wire().varint(1, 1).varint(2, 2).bytes();
    byte[] sample = new Wire().varint(1, 0).varint(2, 2).packed(3, 10).bytes();
    byte[] profile =
        new Wire()
            .message(1, valueType)
            .message(2, sample)
            .packed(3, 1, 2)
            .varint(4, System.currentTimeMillis() * 1_000_000L)
            .bytes();
    byte[] scope = new Wire().message(2, profile).bytes();
    byte[] resource = new Wire().message(2, scope).bytes();
    return new Wire().message(1, resource).bytes();
  }

  /**
   * A request as a producer built on opentelemetry-proto 1.9 writes it: one CPU profile whose one
   * sample (stack main;work) has {@code value} in field 2, where 1.11 reads attribute indices.
   */
  static byte[] otlpOneNine(String service, long timeNanos, long value) {
    var dictionary =
        io.opentelemetry.proto.profiles.v1development.ProfilesDictionary.newBuilder()
            .addStringTable("")
            .addStringTable("cpu")
            .addStringTable("nanoseconds")
            .addStringTable("main")
            .addStringTable("work")
            .addMappingTable(
                io.opentelemetry.proto.profiles.v1development.Mapping.getDefaultInstance())
            .addFunctionTable(
                io.opentelemetry.proto.profiles.v1development.Function.getDefaultInstance())
            .addFunctionTable(
                io.opentelemetry.proto.profiles.v1development.Function.newBuilder()
                    .setNameStrindex(3))
            .addFunctionTable(
                io.opentelemetry.proto.profiles.v1development.Function.newBuilder()
                    .setNameStrindex(4))
            .addLocationTable(
                io.opentelemetry.proto.profiles.v1development.Location.getDefaultInstance())
            .addLocationTable(
                io.opentelemetry.proto.profiles.v1development.Location.newBuilder()
                    .addLines(
                        io.opentelemetry.proto.profiles.v1development.Line.newBuilder()
                            .setFunctionIndex(1)))
            .addLocationTable(
                io.opentelemetry.proto.profiles.v1development.Location.newBuilder()
                    .addLines(
                        io.opentelemetry.proto.profiles.v1development.Line.newBuilder()
                            .setFunctionIndex(2)))
            .addStackTable(io.opentelemetry.proto.profiles.v1development.Stack.getDefaultInstance())
            .addStackTable(
                io.opentelemetry.proto.profiles.v1development.Stack.newBuilder()
                    .addLocationIndices(2)
                    .addLocationIndices(1))
            .addAttributeTable(
                io.opentelemetry.proto.profiles.v1development.KeyValueAndUnit.getDefaultInstance())
            .addLinkTable(io.opentelemetry.proto.profiles.v1development.Link.getDefaultInstance())
            .build();
    byte[] valueType = new Wire().varint(1, 1).varint(2, 2).bytes();
    byte[] sample = new Wire().varint(1, 1).packed(2, value).bytes();
    byte[] profile =
        new Wire()
            .message(1, valueType)
            .message(2, sample)
            .fixed64(3, timeNanos)
            .varint(4, 10_000_000_000L)
            .message(5, valueType)
            .varint(6, 10_000_000L)
            .bytes();
    byte[] resource =
        io.opentelemetry.proto.resource.v1.Resource.newBuilder()
            .addAttributes(
                io.opentelemetry.proto.common.v1.KeyValue.newBuilder()
                    .setKey("service.name")
                    .setValue(
                        io.opentelemetry.proto.common.v1.AnyValue.newBuilder()
                            .setStringValue(service)))
            .build()
            .toByteArray();
    byte[] scope = new Wire().message(2, profile).bytes();
    byte[] resourceProfiles = new Wire().message(1, resource).message(2, scope).bytes();
    return new Wire().message(1, resourceProfiles).message(2, dictionary.toByteArray()).bytes();
  }

  /** Just enough protobuf wire writing for hand-made legacy payloads. */
  static final class Wire {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private void raw(long v) {
      while ((v & ~0x7FL) != 0) {
        out.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
    }

    Wire varint(int field, long v) {
      raw((long) field << 3);
      raw(v);
      return this;
    }

    Wire fixed64(int field, long v) {
      raw(((long) field << 3) | 1);
      for (int i = 0; i < 8; i++) {
        out.write((int) (v >>> (8 * i)) & 0xff);
      }
      return this;
    }

    Wire message(int field, byte[] bytes) {
      raw(((long) field << 3) | 2);
      raw(bytes.length);
      out.writeBytes(bytes);
      return this;
    }

    Wire packed(int field, long... values) {
      Wire inner = new Wire();
      for (long v : values) {
        inner.raw(v);
      }
      return message(field, inner.bytes());
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }
}
