package dev.hearth.model.codec.pprof;

import dev.hearth.model.Attribute;
import dev.hearth.model.Function;
import dev.hearth.model.Line;
import dev.hearth.model.Location;
import dev.hearth.model.Mapping;
import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Sample;
import dev.hearth.model.codec.Gzip;
import dev.hearth.model.codec.pprof.proto.PprofProto;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes profiles as one gzip pprof with a sample type per profile, in the order given.
 *
 * <p>Profiles that share stacks (as the sample types of one pprof do) share its samples. When no
 * profile counts events in a {@code count} unit but some sample counts more than one event, a
 * leading {@code samples/count} type carries the counts, so {@code go tool pprof} can show them.
 * pprof has no per-sample timestamps: samples differing only in time are summed. Ids are assigned
 * 1, 2, 3… per table; mappings start at 0 so addresses stay file-relative.
 */
public final class PprofEncoder {
  private PprofEncoder() {}

  /** The profiles as gzip-compressed pprof bytes. */
  public static byte[] encodeGzip(List<Profile> profiles) {
    return Gzip.gzip(encode(profiles).toByteArray());
  }

  /** The profiles as a pprof message. */
  public static PprofProto.Profile encode(List<Profile> profiles) {
    if (profiles.isEmpty()) {
      throw new IllegalArgumentException("no profiles to encode");
    }
    return new Writer(profiles).write();
  }

  private static final class Writer {
    private final List<Profile> profiles;
    private final PprofProto.Profile.Builder out = PprofProto.Profile.newBuilder();
    private final Map<String, Long> strings = new HashMap<>();
    private final Map<Function, Long> functionIds = new HashMap<>();
    private final Map<Mapping, PprofProto.Mapping.Builder> mappings = new LinkedHashMap<>();
    private final Map<Location, Long> locationIds = new HashMap<>();

    Writer(List<Profile> profiles) {
      this.profiles = profiles;
      string("");
    }

    PprofProto.Profile write() {
      Profile first = profiles.getFirst();
      boolean addCounts = needsCountType();
      if (addCounts) {
        out.addSampleType(valueType("samples", "count"));
      }
      long time = Long.MAX_VALUE;
      long end = Long.MIN_VALUE;
      for (Profile profile : profiles) {
        ProfileType type = profile.type();
        out.addSampleType(valueType(type.sampleType(), type.sampleUnit()));
        time = Math.min(time, profile.timeNanos());
        end = Math.max(end, profile.timeNanos() + profile.durationNanos());
      }
      ProfileType firstType = first.type();
      out.setPeriodType(valueType(firstType.periodType(), firstType.periodUnit()));
      out.setPeriod(first.period());
      out.setTimeNanos(time);
      out.setDurationNanos(end - time);
      out.setDefaultSampleType(string(firstType.sampleType()));

      int width = profiles.size() + (addCounts ? 1 : 0);
      int offset = addCounts ? 1 : 0;
      record Key(long stackId, List<Attribute> attributes) {}
      Map<Key, long[]> values = new LinkedHashMap<>();
      Map<Key, Sample> firstSample = new HashMap<>();
      for (int i = 0; i < profiles.size(); i++) {
        for (Sample s : profiles.get(i).samples()) {
          Key key = new Key(s.stack().id(), s.attributes());
          long[] v = values.computeIfAbsent(key, k -> new long[width]);
          firstSample.putIfAbsent(key, s);
          v[offset + i] += s.value();
          if (addCounts && i == 0) {
            v[0] += s.count();
          }
        }
      }
      for (Map.Entry<Key, long[]> e : values.entrySet()) {
        Sample s = firstSample.get(e.getKey());
        PprofProto.Sample.Builder sample = out.addSampleBuilder();
        for (Location location : s.stack().locations()) {
          sample.addLocationId(location(location));
        }
        for (long v : e.getValue()) {
          sample.addValue(v);
        }
        for (Attribute a : s.attributes()) {
          PprofProto.Label.Builder label = sample.addLabelBuilder().setKey(string(a.key()));
          if (a.str() != null) {
            label.setStr(string(a.str()));
          } else {
            label.setNum(a.num());
            if (!a.unit().isEmpty()) {
              label.setNumUnit(string(a.unit()));
            }
          }
        }
      }
      for (PprofProto.Mapping.Builder m : mappings.values()) {
        out.addMapping(m);
      }
      return out.build();
    }

    private boolean needsCountType() {
      for (Profile profile : profiles) {
        if (profile.type().sampleUnit().equals("count")) {
          return false;
        }
      }
      for (Sample s : profiles.getFirst().samples()) {
        if (s.count() != 1) {
          return true;
        }
      }
      return false;
    }

    private PprofProto.ValueType valueType(String type, String unit) {
      return PprofProto.ValueType.newBuilder().setType(string(type)).setUnit(string(unit)).build();
    }

    private long string(String s) {
      Long index = strings.get(s);
      if (index == null) {
        index = (long) out.getStringTableCount();
        out.addStringTable(s);
        strings.put(s, index);
      }
      return index;
    }

    private long function(Function f) {
      Long id = functionIds.get(f);
      if (id == null) {
        id = (long) functionIds.size() + 1;
        functionIds.put(f, id);
        out.addFunction(
            PprofProto.Function.newBuilder()
                .setId(id)
                .setName(string(f.name()))
                .setSystemName(string(f.systemName()))
                .setFilename(string(f.filename()))
                .setStartLine(f.startLine()));
      }
      return id;
    }

    private long location(Location location) {
      Long id = locationIds.get(location);
      if (id != null) {
        return id;
      }
      id = (long) locationIds.size() + 1;
      locationIds.put(location, id);
      PprofProto.Location.Builder l =
          out.addLocationBuilder().setId(id).setAddress(location.address());
      Mapping mapping = location.mapping();
      if (mapping != null) {
        PprofProto.Mapping.Builder m = mapping(mapping);
        l.setMappingId(m.getId());
        m.setMemoryLimit(Math.max(m.getMemoryLimit(), location.address() + 1));
        m.setHasInlineFrames(m.getHasInlineFrames() || location.lines().size() > 1);
      }
      for (Line line : location.lines()) {
        l.addLine(
            PprofProto.Line.newBuilder()
                .setFunctionId(function(line.function()))
                .setLine(line.line())
                .setColumn(line.column()));
      }
      return id;
    }

    private PprofProto.Mapping.Builder mapping(Mapping mapping) {
      return mappings.computeIfAbsent(
          mapping,
          m ->
              PprofProto.Mapping.newBuilder()
                  .setId(mappings.size() + 1)
                  .setFilename(string(m.filename()))
                  .setBuildId(string(m.buildId()))
                  .setHasFunctions(true)
                  .setHasFilenames(true)
                  .setHasLineNumbers(true));
    }
  }
}
