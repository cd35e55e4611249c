package dev.hearth.model.codec.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.hearth.model.Profile;
import dev.hearth.model.Sample;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.profiles.v1development.Function;
import io.opentelemetry.proto.profiles.v1development.KeyValueAndUnit;
import io.opentelemetry.proto.profiles.v1development.Line;
import io.opentelemetry.proto.profiles.v1development.Link;
import io.opentelemetry.proto.profiles.v1development.Location;
import io.opentelemetry.proto.profiles.v1development.Mapping;
import io.opentelemetry.proto.profiles.v1development.ProfilesDictionary;
import io.opentelemetry.proto.profiles.v1development.ResourceProfiles;
import io.opentelemetry.proto.profiles.v1development.ScopeProfiles;
import io.opentelemetry.proto.profiles.v1development.Stack;
import io.opentelemetry.proto.profiles.v1development.ValueType;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Hand-built OTLP payloads: 1.11 messages, and raw bytes in older layouts. */
final class OtlpTestData {
  static final long T0 = 1_700_000_000_000_000_000L;
  static final long SECOND = 1_000_000_000L;
  static final long MS = 1_000_000L;

  private OtlpTestData() {}

  /** A dictionary under construction; strings are interned, every table starts at its zero. */
  static final class Dict {
    final ProfilesDictionary.Builder d =
        ProfilesDictionary.newBuilder()
            .addStringTable("")
            .addMappingTable(Mapping.getDefaultInstance())
            .addLocationTable(Location.getDefaultInstance())
            .addFunctionTable(Function.getDefaultInstance())
            .addStackTable(Stack.getDefaultInstance())
            .addAttributeTable(KeyValueAndUnit.getDefaultInstance())
            .addLinkTable(Link.getDefaultInstance());
    private final Map<String, Integer> strings = new HashMap<>(Map.of("", 0));

    int s(String value) {
      return strings.computeIfAbsent(
          value,
          v -> {
            d.addStringTable(v);
            return d.getStringTableCount() - 1;
          });
    }

    int function(String name, String file) {
      d.addFunctionTable(
          Function.newBuilder().setNameStrindex(s(name)).setFilenameStrindex(s(file)));
      return d.getFunctionTableCount() - 1;
    }

    int mapping(String file, long start, long limit, long offset, int... attributes) {
      Mapping.Builder m =
          Mapping.newBuilder()
              .setFilenameStrindex(s(file))
              .setMemoryStart(start)
              .setMemoryLimit(limit)
              .setFileOffset(offset);
      for (int a : attributes) {
        m.addAttributeIndices(a);
      }
      d.addMappingTable(m);
      return d.getMappingTableCount() - 1;
    }

    /** A location; {@code functions} innermost first, each with line number 10 × its index. */
    int location(int mapping, long address, List<Integer> attributes, int... functions) {
      Location.Builder l =
          Location.newBuilder()
              .setMappingIndex(mapping)
              .setAddress(address)
              .addAllAttributeIndices(attributes);
      for (int f : functions) {
        l.addLines(Line.newBuilder().setFunctionIndex(f).setLine(10L * f));
      }
      d.addLocationTable(l);
      return d.getLocationTableCount() - 1;
    }

    int stack(int... leafFirst) {
      Stack.Builder st = Stack.newBuilder();
      for (int l : leafFirst) {
        st.addLocationIndices(l);
      }
      d.addStackTable(st);
      return d.getStackTableCount() - 1;
    }

    int attr(String key, AnyValue value, String unit) {
      d.addAttributeTable(
          KeyValueAndUnit.newBuilder()
              .setKeyStrindex(s(key))
              .setValue(value)
              .setUnitStrindex(unit.isEmpty() ? 0 : s(unit)));
      return d.getAttributeTableCount() - 1;
    }

    int str(String key, String value) {
      return attr(key, AnyValue.newBuilder().setStringValue(value).build(), "");
    }

    /** A string attribute whose key and value both go through the string table. */
    int strRef(String key, String value) {
      return attr(key, AnyValue.newBuilder().setStringValueStrindex(s(value)).build(), "");
    }

    ValueType type(String type, String unit) {
      return ValueType.newBuilder().setTypeStrindex(s(type)).setUnitStrindex(s(unit)).build();
    }

    ProfilesDictionary build() {
      return d.build();
    }
  }

  /** The frames and attributes of {@link #request()}, by dictionary index. */
  static final class Fixture {
    final Dict dict = new Dict();
    final int threadWorker;
    final int requestSize;
    final int stackInline;
    final int stackNative;

    Fixture() {
      int buildId = dict.str("process.executable.build_id.gnu", "abc123");
      int go = dict.str("profile.frame.type", "go");
      int nativeFrame = dict.str("profile.frame.type", "native");
      threadWorker = dict.strRef("thread.name", "worker-1");
      requestSize =
          dict.attr("request.size", AnyValue.newBuilder().setIntValue(128).build(), "bytes");
      int app = dict.mapping("/usr/bin/app", 0, 0, 0, buildId);
      int libfoo = dict.mapping("/usr/lib/libfoo.so", 0x7f0000000000L, 0x7f0000100000L, 0x1000);
      int main = dict.function("main", "app.go");
      int handle = dict.function("handle", "app.go");
      int parse = dict.function("parse", "parse.go");
      int helper = dict.function("inlinedHelper", "parse.go");
      int locMain = dict.location(app, 0x1100, List.of(go), main);
      int locHandle = dict.location(app, 0x1200, List.of(go), handle);
      int locInline = dict.location(app, 0x1300, List.of(go), helper, parse);
      int locNative = dict.location(libfoo, 0x7f0000000a2bL, List.of(nativeFrame));
      stackInline = dict.stack(locInline, locHandle, locMain);
      stackNative = dict.stack(locNative, locHandle, locMain);
    }
  }

  /**
   * Two resources: {@code api} (CPU nanoseconds, values only, with a resource pid) and {@code
   * batch} (sample counts, timestamps only).
   */
  static ExportProfilesServiceRequest request() {
    Fixture f = new Fixture();
    Dict d = f.dict;
    var cpu =
        io.opentelemetry.proto.profiles.v1development.Profile.newBuilder()
            .setSampleType(d.type("cpu", "nanoseconds"))
            .setPeriodType(d.type("cpu", "nanoseconds"))
            .setPeriod(10 * MS)
            .setTimeUnixNano(T0)
            .setDurationNano(10 * SECOND)
            .addSamples(sample(f.stackInline, List.of(f.threadWorker, f.requestSize), 30 * MS))
            .addSamples(sample(f.stackNative, List.of(f.threadWorker), 10 * MS))
            .addSamples(sample(f.stackInline, List.of(), 20 * MS));
    var counts =
        io.opentelemetry.proto.profiles.v1development.Profile.newBuilder()
            .setSampleType(d.type("samples", "count"))
            .setPeriodType(d.type("cpu", "nanoseconds"))
            .setPeriod(10 * MS)
            .setTimeUnixNano(T0)
            .setDurationNano(10 * SECOND)
            .addSamples(
                io.opentelemetry.proto.profiles.v1development.Sample.newBuilder()
                    .setStackIndex(f.stackInline)
                    .addTimestampsUnixNano(T0 + 1)
                    .addTimestampsUnixNano(T0 + 2)
                    .addTimestampsUnixNano(T0 + 3))
            .addSamples(
                io.opentelemetry.proto.profiles.v1development.Sample.newBuilder()
                    .setStackIndex(f.stackNative)
                    .addTimestampsUnixNano(T0 + 4));
    Resource api =
        Resource.newBuilder()
            .addAttributes(kv("service.name", "api"))
            .addAttributes(
                KeyValue.newBuilder()
                    .setKeyStrindex(d.s("host.name"))
                    .setValue(AnyValue.newBuilder().setStringValueStrindex(d.s("web-1"))))
            .addAttributes(
                KeyValue.newBuilder()
                    .setKey("process.pid")
                    .setValue(AnyValue.newBuilder().setIntValue(4242)))
            .build();
    Resource batch = Resource.newBuilder().addAttributes(kv("service.name", "batch")).build();
    return ExportProfilesServiceRequest.newBuilder()
        .addResourceProfiles(resource(api, cpu.build()))
        .addResourceProfiles(resource(batch, counts.build()))
        .setDictionary(d.build())
        .build();
  }

  static io.opentelemetry.proto.profiles.v1development.Sample sample(
      int stack, List<Integer> attributes, long... values) {
    var s =
        io.opentelemetry.proto.profiles.v1development.Sample.newBuilder()
            .setStackIndex(stack)
            .addAllAttributeIndices(attributes);
    for (long v : values) {
      s.addValues(v);
    }
    return s.build();
  }

  static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  static ResourceProfiles resource(
      Resource resource, io.opentelemetry.proto.profiles.v1development.Profile... profiles) {
    ScopeProfiles.Builder scope = ScopeProfiles.newBuilder();
    for (var p : profiles) {
      scope.addProfiles(p);
    }
    return ResourceProfiles.newBuilder().setResource(resource).addScopeProfiles(scope).build();
  }

  /** One request holding one profile, for tests that need a single odd sample or table. */
  static ExportProfilesServiceRequest single(
      Dict d, io.opentelemetry.proto.profiles.v1development.Profile.Builder profile) {
    return ExportProfilesServiceRequest.newBuilder()
        .addResourceProfiles(
            resource(
                Resource.newBuilder().addAttributes(kv("service.name", "x")).build(),
                profile.build()))
        .setDictionary(d.build())
        .build();
  }

  /**
   * Profiles after {@link Profile#merged()} with samples in a fixed order (stack id, timestamp,
   * attributes): two decodings that mean the same thing compare equal.
   */
  static List<Profile> normalized(List<Profile> profiles) {
    List<Profile> out = new ArrayList<>();
    for (Profile p : profiles) {
      List<Sample> samples = new ArrayList<>(p.merged().samples());
      samples.sort(
          Comparator.comparingLong((Sample s) -> s.stack().id())
              .thenComparingLong(Sample::timestampNanos)
              .thenComparing(s -> s.attributes().toString()));
      out.add(p.withSamples(samples));
    }
    return out;
  }

  /** Writes protobuf fields by number, for payloads in layouts the 1.11 classes cannot write. */
  static final class Wire {
    private final ByteString.Output bytes = ByteString.newOutput();
    private final CodedOutputStream out = CodedOutputStream.newInstance(bytes);

    Wire varint(int field, long value) {
      return io(() -> out.writeUInt64(field, value));
    }

    /** Packed varints, as every proto3 encoder writes repeated integers. */
    Wire packed(int field, long... values) {
      return io(
          () -> {
            int size = 0;
            for (long v : values) {
              size += CodedOutputStream.computeUInt64SizeNoTag(v);
            }
            out.writeTag(field, 2);
            out.writeUInt32NoTag(size);
            for (long v : values) {
              out.writeUInt64NoTag(v);
            }
          });
    }

    Wire packedFixed64(int field, long... values) {
      return io(
          () -> {
            out.writeTag(field, 2);
            out.writeUInt32NoTag(values.length * 8);
            for (long v : values) {
              out.writeFixed64NoTag(v);
            }
          });
    }

    Wire fixed64(int field, long value) {
      return io(() -> out.writeFixed64(field, value));
    }

    Wire bytes(int field, ByteString value) {
      return io(() -> out.writeBytes(field, value));
    }

    Wire message(int field, Wire nested) {
      return bytes(field, nested.build());
    }

    ByteString build() {
      io(out::flush);
      return bytes.toByteString();
    }

    private interface Io {
      void run() throws IOException;
    }

    private Wire io(Io write) {
      try {
        write.run();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }
  }
}
