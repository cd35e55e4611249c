package dev.hearth.model.codec.pprof;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.hearth.model.Attribute;
import dev.hearth.model.Function;
import dev.hearth.model.LabelSet;
import dev.hearth.model.Line;
import dev.hearth.model.Location;
import dev.hearth.model.Mapping;
import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Sample;
import dev.hearth.model.Stack;
import dev.hearth.model.Temporality;
import dev.hearth.model.codec.Gzip;
import dev.hearth.model.codec.ProfileDecodeException;
import dev.hearth.model.codec.ProfileNames;
import dev.hearth.model.codec.SampleCounts;
import dev.hearth.model.codec.pprof.proto.PprofProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The pprof decoder Hearth had before {@link PprofReader}: protobuf-java objects first, then the
 * model. Kept in the tests as the reference the streaming reader must match, id for id.
 *
 * <p>Reads pprof (gzip or plain, sniffed by the {@code 1f 8b} magic) into one {@link Profile} per
 * sample type.
 *
 * <p>Each sample's {@code count} comes from the sample type that counts events: for a type whose
 * unit is not {@code count}, the {@code count}-unit type sharing its prefix ({@code alloc_space} ←
 * {@code alloc_objects}), else the first {@code count}-unit type ({@code cpu} ← {@code samples},
 * {@code delay} ← {@code contentions}); without one every sample counts 1. Location addresses
 * become file-relative; locations without lines become synthetic {@code lib+0x…} functions.
 */
final class ReferencePprofDecoder {
  private ReferencePprofDecoder() {}

  /** Decodes gzip or plain pprof bytes. */
  static List<Profile> decode(byte[] data, PprofOptions options) throws ProfileDecodeException {
    byte[] plain = Gzip.maybeGunzip(data, options.maxDecompressedBytes());
    PprofProto.Profile proto;
    try {
      proto = PprofProto.Profile.parseFrom(plain);
    } catch (InvalidProtocolBufferException e) {
      throw new ProfileDecodeException(
          "pprof payload is not a valid profile: " + e.getMessage(), e);
    }
    return decode(proto, options);
  }

  /** Converts a parsed pprof message. */
  static List<Profile> decode(PprofProto.Profile proto, PprofOptions options)
      throws ProfileDecodeException {
    return new Reader(proto, options).read();
  }

  private static final class Reader {
    private final PprofProto.Profile p;
    private final PprofOptions options;
    private final IdTable<Function> functions;
    private final IdTable<Location> locations;
    private final Map<LocationIds, Stack> stacks = new HashMap<>();

    Reader(PprofProto.Profile p, PprofOptions options) {
      this.p = p;
      this.options = options;
      this.functions = new IdTable<>(p.getFunctionCount());
      this.locations = new IdTable<>(p.getLocationCount());
    }

    List<Profile> read() throws ProfileDecodeException {
      if (p.getStringTableCount() > 0 && !p.getStringTable(0).isEmpty()) {
        throw new ProfileDecodeException("pprof string_table[0] must be the empty string");
      }
      int types = p.getSampleTypeCount();
      if (types == 0) {
        if (p.getSampleCount() == 0) {
          return List.of();
        }
        throw new ProfileDecodeException("pprof has samples but no sample_type");
      }
      readFunctions();
      readLocations(readMappings());

      String[] typeNames = new String[types];
      String[] units = new String[types];
      for (int i = 0; i < types; i++) {
        typeNames[i] = string(p.getSampleType(i).getType(), "sample_type[" + i + "].type");
        units[i] = string(p.getSampleType(i).getUnit(), "sample_type[" + i + "].unit");
      }
      String periodType = string(p.getPeriodType().getType(), "period_type.type");
      String periodUnit = string(p.getPeriodType().getUnit(), "period_type.unit");

      List<List<Sample>> perType = new ArrayList<>(types);
      for (int i = 0; i < types; i++) {
        perType.add(new ArrayList<>(p.getSampleCount()));
      }
      int[] countIndex = countIndexes(typeNames, units);
      for (int s = 0; s < p.getSampleCount(); s++) {
        PprofProto.Sample sample = p.getSample(s);
        if (sample.getValueCount() != types) {
          throw new ProfileDecodeException(
              "pprof sample "
                  + s
                  + " has "
                  + sample.getValueCount()
                  + " values but the profile has "
                  + types
                  + " sample types");
        }
        Stack stack = stack(sample, s);
        List<Attribute> attributes = attributes(sample, s);
        for (int i = 0; i < types; i++) {
          long value = sample.getValue(i);
          long count = countIndex[i] < 0 ? 1 : Math.max(0, sample.getValue(countIndex[i]));
          if (value == 0 && (countIndex[i] < 0 || count == 0)) {
            continue;
          }
          perType.get(i).add(new Sample(stack, value, count, attributes, 0));
        }
      }

      List<Profile> out = new ArrayList<>(types);
      for (int i = 0; i < types; i++) {
        String pt = periodType.isEmpty() ? typeNames[i] : periodType;
        String pu = periodUnit.isEmpty() ? units[i] : periodUnit;
        String name =
            options.name() != null ? options.name() : ProfileNames.guess(typeNames[i], pt);
        ProfileType type;
        try {
          type = new ProfileType(name, typeNames[i], units[i], pt, pu);
        } catch (IllegalArgumentException e) {
          throw new ProfileDecodeException("pprof sample_type[" + i + "]: " + e.getMessage(), e);
        }
        Temporality temporality =
            options.cumulativeSampleTypes().contains(typeNames[i])
                ? Temporality.CUMULATIVE
                : Temporality.DELTA;
        out.add(
            new Profile(
                type,
                LabelSet.EMPTY,
                p.getTimeNanos(),
                p.getDurationNanos(),
                p.getPeriod(),
                temporality,
                perType.get(i)));
      }
      return out;
    }

    /** For each sample type, the index of the type that counts its events, or -1. */
    private static int[] countIndexes(String[] typeNames, String[] units) {
      int[] out = new int[typeNames.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = SampleCounts.countingIndex(List.of(typeNames), List.of(units), i);
      }
      return out;
    }

    private String string(long index, String field) throws ProfileDecodeException {
      if (index < 0 || index >= p.getStringTableCount()) {
        if (index == 0) {
          return "";
        }
        throw new ProfileDecodeException(
            "pprof "
                + field
                + " points at string "
                + index
                + " but string_table has "
                + p.getStringTableCount()
                + " entries");
      }
      return p.getStringTable((int) index);
    }

    private void readFunctions() throws ProfileDecodeException {
      for (int i = 0; i < p.getFunctionCount(); i++) {
        PprofProto.Function f = p.getFunction(i);
        String where = "function[" + i + "]";
        checkId(f.getId(), where, functions.get(f.getId()) != null);
        functions.put(
            f.getId(),
            Function.of(
                string(f.getName(), where + ".name"),
                string(f.getSystemName(), where + ".system_name"),
                string(f.getFilename(), where + ".filename"),
                f.getStartLine()));
      }
    }

    private record MappingAt(Mapping mapping, long memoryStart, long fileOffset) {}

    private Map<Long, MappingAt> readMappings() throws ProfileDecodeException {
      Map<Long, MappingAt> mappings = new HashMap<>();
      for (int i = 0; i < p.getMappingCount(); i++) {
        PprofProto.Mapping m = p.getMapping(i);
        String where = "mapping[" + i + "]";
        checkId(m.getId(), where, mappings.containsKey(m.getId()));
        String buildId = string(m.getBuildId(), where + ".build_id");
        Mapping mapping =
            Mapping.of(
                string(m.getFilename(), where + ".filename"),
                buildId,
                buildId.isEmpty() ? "" : "gnu");
        mappings.put(m.getId(), new MappingAt(mapping, m.getMemoryStart(), m.getFileOffset()));
      }
      return mappings;
    }

    private void readLocations(Map<Long, MappingAt> mappings) throws ProfileDecodeException {
      for (int i = 0; i < p.getLocationCount(); i++) {
        PprofProto.Location l = p.getLocation(i);
        String where = "location[" + i + "]";
        checkId(l.getId(), where, locations.get(l.getId()) != null);
        @Nullable MappingAt at = null;
        if (l.getMappingId() != 0) {
          at = mappings.get(l.getMappingId());
          if (at == null) {
            throw new ProfileDecodeException(
                "pprof "
                    + where
                    + " points at mapping id "
                    + l.getMappingId()
                    + ", which is not defined");
          }
        }
        long address = l.getAddress();
        if (at != null && address >= at.memoryStart() && address != 0) {
          address = address - at.memoryStart() + at.fileOffset();
        }
        List<Line> lines = new ArrayList<>(l.getLineCount());
        for (int j = 0; j < l.getLineCount(); j++) {
          PprofProto.Line line = l.getLine(j);
          Function f = functions.get(line.getFunctionId());
          if (f == null) {
            throw new ProfileDecodeException(
                "pprof "
                    + where
                    + ".line["
                    + j
                    + "] points at function id "
                    + line.getFunctionId()
                    + ", which is not defined");
          }
          lines.add(new Line(f, line.getLine(), line.getColumn()));
        }
        Mapping mapping = at == null ? null : at.mapping();
        Location location;
        if (lines.isEmpty()) {
          Function synthetic = Function.of(Location.syntheticName(mapping, address));
          location = Location.of(mapping, address, List.of(new Line(synthetic, 0, 0)), "");
        } else {
          location = Location.of(mapping, address, lines, "");
        }
        locations.put(l.getId(), location);
      }
    }

    private static void checkId(long id, String where, boolean duplicate)
        throws ProfileDecodeException {
      if (id == 0) {
        throw new ProfileDecodeException("pprof " + where + " has id 0; ids must be non-zero");
      }
      if (duplicate) {
        throw new ProfileDecodeException("pprof " + where + " repeats id " + id);
      }
    }

    private Stack stack(PprofProto.Sample sample, int index) throws ProfileDecodeException {
      long[] ids = new long[sample.getLocationIdCount()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = sample.getLocationId(i);
      }
      LocationIds key = new LocationIds(ids);
      Stack cached = stacks.get(key);
      if (cached != null) {
        return cached;
      }
      List<Location> leafFirst = new ArrayList<>(ids.length);
      for (long id : ids) {
        Location location = locations.get(id);
        if (location == null) {
          throw new ProfileDecodeException(
              "pprof sample " + index + " points at location id " + id + ", which is not defined");
        }
        leafFirst.add(location);
      }
      Stack stack = Stack.of(leafFirst);
      stacks.put(key, stack);
      return stack;
    }

    private List<Attribute> attributes(PprofProto.Sample sample, int index)
        throws ProfileDecodeException {
      if (sample.getLabelCount() == 0) {
        return List.of();
      }
      List<Attribute> out = new ArrayList<>(sample.getLabelCount());
      for (int i = 0; i < sample.getLabelCount(); i++) {
        PprofProto.Label label = sample.getLabel(i);
        String where = "sample[" + index + "].label[" + i + "]";
        String key = string(label.getKey(), where + ".key");
        if (key.isEmpty()) {
          throw new ProfileDecodeException("pprof " + where + " has an empty key");
        }
        if (label.getStr() != 0) {
          out.add(Attribute.string(key, string(label.getStr(), where + ".str")));
        } else {
          out.add(
              Attribute.number(
                  key, label.getNum(), string(label.getNumUnit(), where + ".num_unit")));
        }
      }
      return out;
    }
  }

  /**
   * Entries by pprof id. Producers number their functions and locations 1..n (Go, pprof's own
   * tools), so ids up to a few times the table's size are looked up in an array; others, which the
   * format allows, in a map.
   */
  private static final class IdTable<T> {
    private final Object[] dense;
    private final Map<Long, T> sparse = new HashMap<>();

    IdTable(int size) {
      this.dense = new Object[4 * size + 1];
    }

    @SuppressWarnings("unchecked")
    @Nullable T get(long id) {
      if (id > 0 && id < dense.length) {
        return (T) dense[(int) id];
      }
      return sparse.get(id);
    }

    void put(long id, T value) {
      if (id > 0 && id < dense.length) {
        dense[(int) id] = value;
      } else {
        sparse.put(id, value);
      }
    }
  }

  /** A sample's location id list as a hash key, so each distinct stack is built and hashed once. */
  private record LocationIds(long[] ids) {
    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof LocationIds other && Arrays.equals(ids, other.ids);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
      return Arrays.toString(ids);
    }
  }
}
