package dev.hearth.model.codec.pprof;

import dev.hearth.model.Attribute;
import dev.hearth.model.Function;
import dev.hearth.model.Ids;
import dev.hearth.model.LabelSet;
import dev.hearth.model.Line;
import dev.hearth.model.Location;
import dev.hearth.model.Mapping;
import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Sample;
import dev.hearth.model.Stack;
import dev.hearth.model.Temporality;
import dev.hearth.model.codec.FrameCache;
import dev.hearth.model.codec.ProfileDecodeException;
import dev.hearth.model.codec.ProfileNames;
import dev.hearth.model.codec.SampleCounts;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads a decompressed pprof message straight from its bytes, without building protobuf objects
 * (field numbers from {@code profile.proto}).
 *
 * <p>One pass notes where every table entry starts; then functions, mappings and locations are read
 * into their content ids ({@link Ids}), hashing string bytes where they lie, and each sample's
 * stack id is hashed from its location ids. Model objects come from the {@link FrameCache} by those
 * ids; only what the cache lacks is built, and only then are its strings made. The output is what
 * {@code PprofProto}-based decoding gave, id for id.
 */
final class PprofReader {
  private static final int SAMPLE_TYPE = 1;
  private static final int SAMPLE = 2;
  private static final int MAPPING = 3;
  private static final int LOCATION = 4;
  private static final int FUNCTION = 5;
  private static final int STRING_TABLE = 6;
  private static final int TIME_NANOS = 9;
  private static final int DURATION_NANOS = 10;
  private static final int PERIOD_TYPE = 11;
  private static final int PERIOD = 12;

  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LENGTH_DELIMITED = 2;
  private static final int FIXED32 = 5;

  private final byte[] buf;
  private final PprofOptions options;
  private final FrameCache cache;
  private int pos;
  private int limit;

  private final Spans strings = new Spans();
  private String whereTable = "";
  private int whereEntry = -1;
  private int whereLabel = -1;
  private final Spans samples = new Spans();
  private final Spans mappingSpans = new Spans();
  private final Spans locationSpans = new Spans();
  private final Spans functionSpans = new Spans();
  private final List<long[]> sampleTypes = new ArrayList<>();
  private long[] periodType = {0, 0};
  private long timeNanos;
  private long durationNanos;
  private long period;

  private @Nullable String[] made = new String[0];

  // Functions, by slot (the order they were read): content id and the string indexes to build it.
  private long[] functionIds = new long[0];
  private long[][] functionFields = new long[0][];
  private @Nullable Function[] functionObjects = new Function[0];
  private IdIndex functionIndex = new IdIndex(0);

  // Mappings, by slot.
  private Mapping[] mappings = new Mapping[0];
  private long[] memoryStarts = new long[0];
  private long[] fileOffsets = new long[0];
  private IdIndex mappingIndex = new IdIndex(0);

  // Locations, by slot: content id (or cache key for a line-less frame) and how to build it.
  private long[] locationIds = new long[0];
  private @Nullable Location[] locationObjects = new Location[0];
  private IdIndex locationIndex = new IdIndex(0);

  PprofReader(byte[] plain, PprofOptions options, FrameCache cache) {
    this.buf = plain;
    this.options = options;
    this.cache = cache;
  }

  List<Profile> read() throws ProfileDecodeException {
    scan();
    made = new String[strings.count];
    if (strings.count > 0 && strings.length[0] != 0) {
      throw new ProfileDecodeException("pprof string_table[0] must be the empty string");
    }
    int types = sampleTypes.size();
    if (types == 0) {
      if (samples.count == 0) {
        return List.of();
      }
      throw new ProfileDecodeException("pprof has samples but no sample_type");
    }
    readFunctions();
    readMappings();
    readLocations();

    String[] typeNames = new String[types];
    String[] units = new String[types];
    for (int i = 0; i < types; i++) {
      at("sample_type", i);
      typeNames[i] = string(sampleTypes.get(i)[0], ".type");
      units[i] = string(sampleTypes.get(i)[1], ".unit");
    }
    at("period_type", -1);
    String periodTypeName = string(periodType[0], ".type");
    String periodUnit = string(periodType[1], ".unit");

    List<List<Sample>> perType = new ArrayList<>(types);
    for (int i = 0; i < types; i++) {
      perType.add(new ArrayList<>(samples.count));
    }
    int[] countIndex = new int[types];
    for (int i = 0; i < types; i++) {
      countIndex[i] = SampleCounts.countingIndex(List.of(typeNames), List.of(units), i);
    }
    readSamples(types, countIndex, perType);

    List<Profile> out = new ArrayList<>(types);
    for (int i = 0; i < types; i++) {
      String pt = periodTypeName.isEmpty() ? typeNames[i] : periodTypeName;
      String pu = periodUnit.isEmpty() ? units[i] : periodUnit;
      String name = options.name() != null ? options.name() : ProfileNames.guess(typeNames[i], pt);
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
              type, LabelSet.EMPTY, timeNanos, durationNanos, period, temporality, perType.get(i)));
    }
    return out;
  }

  /**
   * The top-level passes: one counts each table's entries, so their spans are allocated once at
   * their size (growing them by doubling was the decoder's largest allocation), the next reads the
   * scalars and locates the entries.
   */
  private void scan() throws ProfileDecodeException {
    pass(true);
    for (Spans s : new Spans[] {samples, mappingSpans, locationSpans, functionSpans, strings}) {
      s.reserve();
    }
    pass(false);
  }

  private void pass(boolean counting) throws ProfileDecodeException {
    pos = 0;
    limit = buf.length;
    while (pos < limit) {
      long tag = varint();
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      if (field <= 0) {
        throw malformed("field number " + field);
      }
      if (wire == LENGTH_DELIMITED) {
        int length = length();
        int start = pos;
        pos += length;
        Spans spans = spans(field);
        if (spans != null) {
          if (counting) {
            spans.count++;
          } else {
            spans.add(start, length);
          }
        } else if (!counting && field == SAMPLE_TYPE) {
          sampleTypes.add(valueType(start, length));
        } else if (!counting && field == PERIOD_TYPE) {
          periodType = valueType(start, length);
        }
      } else if (wire == VARINT) {
        long v = varint();
        if (!counting) {
          switch (field) {
            case TIME_NANOS -> timeNanos = v;
            case DURATION_NANOS -> durationNanos = v;
            case PERIOD -> period = v;
            default -> {}
          }
        }
      } else {
        skip(wire);
      }
    }
  }

  private @Nullable Spans spans(int field) {
    return switch (field) {
      case SAMPLE -> samples;
      case MAPPING -> mappingSpans;
      case LOCATION -> locationSpans;
      case FUNCTION -> functionSpans;
      case STRING_TABLE -> strings;
      default -> null;
    };
  }

  /** A {@code ValueType}: {@code {type, unit}} string indexes. */
  private long[] valueType(int start, int length) throws ProfileDecodeException {
    long[] out = new long[2];
    int end = enter(start, length);
    while (pos < limit) {
      long tag = varint();
      int field = (int) (tag >>> 3);
      if ((tag & 7) == VARINT && (field == 1 || field == 2)) {
        out[field - 1] = varint();
      } else {
        skip((int) (tag & 7));
      }
    }
    leave(end);
    return out;
  }

  private void readFunctions() throws ProfileDecodeException {
    int n = functionSpans.count;
    functionIds = new long[n];
    functionFields = new long[n][];
    functionObjects = new Function[n];
    functionIndex = new IdIndex(n);
    for (int i = 0; i < n; i++) {
      long id = 0;
      long[] f = new long[4]; // name, system_name, filename, start_line
      int end = enter(functionSpans.start[i], functionSpans.length[i]);
      while (pos < limit) {
        long tag = varint();
        int field = (int) (tag >>> 3);
        if ((tag & 7) != VARINT || field < 1 || field > 5) {
          skip((int) (tag & 7));
        } else if (field == 1) {
          id = varint();
        } else {
          f[field - 2] = varint();
        }
      }
      leave(end);
      at("function", i);
      checkId(id, functionIndex.get(id) >= 0);
      functionIndex.put(id, i);
      functionFields[i] = f;
      checkString(f[0], ".name");
      checkString(f[1], ".system_name");
      checkString(f[2], ".filename");
      if (ascii(f[0]) && ascii(f[1]) && ascii(f[2])) {
        functionIds[i] =
            Ids.functionId(
                buf,
                offset(f[0]),
                length(f[0]),
                offset(f[1]),
                length(f[1]),
                offset(f[2]),
                length(f[2]),
                f[3]);
      } else {
        Function built = buildFunction(i);
        functionIds[i] = built.id();
      }
    }
  }

  private Function function(int slot) throws ProfileDecodeException {
    Function f = functionObjects[slot];
    if (f == null) {
      f = cache.function(functionIds[slot]);
      if (f == null) {
        f = buildFunction(slot);
        cache.putFunction(f);
      }
      functionObjects[slot] = f;
    }
    return f;
  }

  private Function buildFunction(int slot) throws ProfileDecodeException {
    long[] f = functionFields[slot];
    at("function", slot);
    Function built =
        Function.of(
            string(f[0], ".name"), string(f[1], ".system_name"), string(f[2], ".filename"), f[3]);
    if (functionIds[slot] != 0 && built.id() != functionIds[slot]) {
      throw new IllegalStateException("function id of the raw bytes differs from Function.id()");
    }
    functionObjects[slot] = built;
    return built;
  }

  private void readMappings() throws ProfileDecodeException {
    int n = mappingSpans.count;
    mappings = new Mapping[n];
    memoryStarts = new long[n];
    fileOffsets = new long[n];
    mappingIndex = new IdIndex(n);
    for (int i = 0; i < n; i++) {
      long id = 0;
      long memoryStart = 0;
      long fileOffset = 0;
      long filename = 0;
      long buildId = 0;
      int end = enter(mappingSpans.start[i], mappingSpans.length[i]);
      while (pos < limit) {
        long tag = varint();
        if ((tag & 7) != VARINT) {
          skip((int) (tag & 7));
          continue;
        }
        long v = varint();
        switch ((int) (tag >>> 3)) {
          case 1 -> id = v;
          case 2 -> memoryStart = v;
          case 4 -> fileOffset = v;
          case 5 -> filename = v;
          case 6 -> buildId = v;
          default -> {}
        }
      }
      leave(end);
      at("mapping", i);
      checkId(id, mappingIndex.get(id) >= 0);
      mappingIndex.put(id, i);
      String build = string(buildId, ".build_id");
      mappings[i] = Mapping.of(string(filename, ".filename"), build, build.isEmpty() ? "" : "gnu");
      memoryStarts[i] = memoryStart;
      fileOffsets[i] = fileOffset;
    }
  }

  // Lines of the location being read, innermost first: function slots and content ids.
  private int[] lineFunctions = new int[8];
  private long[] lineFunctionIds = new long[8];
  private long[] lineNumbers = new long[8];
  private long[] lineColumns = new long[8];

  // What building a location needs, by slot: mapping slot (-1 for none) and address; its lines
  // are read again from its bytes, only when the cache lacks it.
  private int[] locationMappings = new int[0];
  private long[] locationAddresses = new long[0];
  private final Map<Integer, Function> syntheticFunctions = new HashMap<>();

  private void readLocations() throws ProfileDecodeException {
    int n = locationSpans.count;
    locationIds = new long[n];
    locationObjects = new Location[n];
    locationIndex = new IdIndex(n);
    locationMappings = new int[n];
    locationAddresses = new long[n];
    for (int i = 0; i < n; i++) {
      long id = 0;
      long mappingId = 0;
      long address = 0;
      int lines = 0;
      int end = enter(locationSpans.start[i], locationSpans.length[i]);
      while (pos < limit) {
        long tag = varint();
        int field = (int) (tag >>> 3);
        int wire = (int) (tag & 7);
        if (field == 4 && wire == LENGTH_DELIMITED) {
          int length = length();
          if (lines == lineFunctions.length) {
            growLines();
          }
          readLine(pos, length, lines);
          lines++;
        } else if (wire == VARINT && field >= 1 && field <= 3) {
          long v = varint();
          if (field == 1) {
            id = v;
          } else if (field == 2) {
            mappingId = v;
          } else {
            address = v;
          }
        } else {
          skip(wire);
        }
      }
      leave(end);
      at("location", i);
      checkId(id, locationIndex.get(id) >= 0);
      locationIndex.put(id, i);
      int mapping = -1;
      if (mappingId != 0) {
        mapping = mappingIndex.get(mappingId);
        if (mapping < 0) {
          throw new ProfileDecodeException(
              "pprof "
                  + where("")
                  + " points at mapping id "
                  + mappingId
                  + ", which is not defined");
        }
        if (address >= memoryStarts[mapping] && address != 0) {
          address = address - memoryStarts[mapping] + fileOffsets[mapping];
        }
      }
      for (int j = 0; j < lines; j++) {
        if (lineFunctions[j] < 0) {
          throw new ProfileDecodeException(
              "pprof "
                  + where(".line[")
                  + j
                  + "] points at function id "
                  + lineFunctionIds[j]
                  + ", which is not defined");
        }
        lineFunctionIds[j] = functionIds[lineFunctions[j]];
      }
      long contentMappingId = mapping < 0 ? 0 : mappings[mapping].id();
      locationMappings[i] = mapping;
      locationAddresses[i] = address;
      if (lines == 0) {
        // A frame nobody named gets the synthetic function lib+0x…, as Location.unsymbolized.
        Function synthetic =
            Function.of(Location.syntheticName(mapping < 0 ? null : mappings[mapping], address));
        syntheticFunctions.put(i, synthetic);
        lineFunctionIds[0] = synthetic.id();
        lineNumbers[0] = 0;
        lineColumns[0] = 0;
        locationIds[i] =
            Ids.locationId(contentMappingId, address, lineFunctionIds, lineNumbers, lineColumns, 1);
      } else {
        locationIds[i] =
            Ids.locationId(
                contentMappingId, address, lineFunctionIds, lineNumbers, lineColumns, lines);
      }
    }
  }

  /** One {@code Line}: function id (as a function slot), line, column. */
  private void readLine(int start, int length, int index) throws ProfileDecodeException {
    long functionId = 0;
    long line = 0;
    long column = 0;
    int end = enter(start, length);
    while (pos < limit) {
      long tag = varint();
      int field = (int) (tag >>> 3);
      if ((tag & 7) != VARINT || field < 1 || field > 3) {
        skip((int) (tag & 7));
        continue;
      }
      long v = varint();
      if (field == 1) {
        functionId = v;
      } else if (field == 2) {
        line = v;
      } else {
        column = v;
      }
    }
    leave(end);
    lineFunctions[index] = functionIndex.get(functionId);
    lineFunctionIds[index] = functionId;
    lineNumbers[index] = line;
    lineColumns[index] = column;
  }

  private void growLines() {
    int n = lineFunctions.length * 2;
    lineFunctions = Arrays.copyOf(lineFunctions, n);
    lineFunctionIds = Arrays.copyOf(lineFunctionIds, n);
    lineNumbers = Arrays.copyOf(lineNumbers, n);
    lineColumns = Arrays.copyOf(lineColumns, n);
  }

  private Location location(int slot) throws ProfileDecodeException {
    Location l = locationObjects[slot];
    if (l != null) {
      return l;
    }
    l = cache.location(locationIds[slot]);
    if (l == null) {
      int m = locationMappings[slot];
      Mapping mapping = m < 0 ? null : mappings[m];
      long address = locationAddresses[slot];
      Function synthetic = syntheticFunctions.get(slot);
      List<Line> lines = new ArrayList<>(2);
      if (synthetic != null) {
        lines.add(new Line(synthetic, 0, 0));
      } else {
        // Read the lines again; they were checked the first time.
        int end = enter(locationSpans.start[slot], locationSpans.length[slot]);
        while (pos < limit) {
          long tag = varint();
          if ((tag >>> 3) == 4 && (tag & 7) == LENGTH_DELIMITED) {
            int length = length();
            readLine(pos, length, 0);
            lines.add(new Line(function(lineFunctions[0]), lineNumbers[0], lineColumns[0]));
          } else {
            skip((int) (tag & 7));
          }
        }
        leave(end);
      }
      l = Location.of(mapping, address, lines, "");
      if (l.id() != locationIds[slot]) {
        throw new IllegalStateException("location id of the raw fields differs from Location.id()");
      }
      cache.putLocation(l);
    }
    locationObjects[slot] = l;
    return l;
  }

  // The sample being read: location slots and values.
  private int[] stackSlots = new int[64];
  private long[] stackIds = new long[64];
  private long[] values = new long[4];

  private void readSamples(int types, int[] countIndex, List<List<Sample>> perType)
      throws ProfileDecodeException {
    if (values.length < types) {
      values = new long[types];
    }
    for (int s = 0; s < samples.count; s++) {
      int depth = 0;
      int valueCount = 0;
      int labelCount = 0;
      int end = enter(samples.start[s], samples.length[s]);
      while (pos < limit) {
        long tag = varint();
        int field = (int) (tag >>> 3);
        int wire = (int) (tag & 7);
        if (field == 1 && (wire == VARINT || wire == LENGTH_DELIMITED)) {
          int stop = wire == VARINT ? 0 : packedEnd();
          do {
            if (wire == LENGTH_DELIMITED && pos >= stop) {
              break;
            }
            if (depth == stackSlots.length) {
              stackSlots = Arrays.copyOf(stackSlots, depth * 2);
              stackIds = Arrays.copyOf(stackIds, depth * 2);
            }
            long id = varint();
            int slot = locationIndex.get(id);
            if (slot < 0) {
              throw new ProfileDecodeException(
                  "pprof sample " + s + " points at location id " + id + ", which is not defined");
            }
            stackSlots[depth] = slot;
            stackIds[depth++] = locationIds[slot];
          } while (pos < stop);
        } else if (field == 2 && (wire == VARINT || wire == LENGTH_DELIMITED)) {
          int stop = wire == VARINT ? 0 : packedEnd();
          do {
            if (wire == LENGTH_DELIMITED && pos >= stop) {
              break;
            }
            long v = varint();
            if (valueCount < values.length) {
              values[valueCount] = v;
            }
            valueCount++;
          } while (pos < stop);
        } else if (field == 3 && wire == LENGTH_DELIMITED) {
          labelCount++;
          int n = length();
          pos += n;
        } else {
          skip(wire);
        }
      }
      leave(end);
      if (valueCount != types) {
        throw new ProfileDecodeException(
            "pprof sample "
                + s
                + " has "
                + valueCount
                + " values but the profile has "
                + types
                + " sample types");
      }
      Stack stack = stack(depth);
      List<Attribute> attributes =
          labelCount == 0 ? List.of() : attributes(samples.start[s], samples.length[s], s);
      for (int i = 0; i < types; i++) {
        long value = values[i];
        long count = countIndex[i] < 0 ? 1 : Math.max(0, values[countIndex[i]]);
        if (value == 0 && (countIndex[i] < 0 || count == 0)) {
          continue;
        }
        perType.get(i).add(new Sample(stack, value, count, attributes, 0));
      }
    }
  }

  private Stack stack(int depth) throws ProfileDecodeException {
    long id = Ids.stackId(stackIds, depth);
    Stack stack = cache.stack(id);
    if (stack == null) {
      List<Location> leafFirst = new ArrayList<>(depth);
      for (int i = 0; i < depth; i++) {
        leafFirst.add(location(stackSlots[i]));
      }
      stack = Stack.of(leafFirst);
      if (stack.id() != id) {
        throw new IllegalStateException("stack id of the location ids differs from Stack.id()");
      }
      cache.putStack(stack);
    }
    return stack;
  }

  /** The labels of the sample at {@code [start, start+length)}, read in a second pass. */
  private List<Attribute> attributes(int start, int length, int sample)
      throws ProfileDecodeException {
    List<Attribute> out = new ArrayList<>(2);
    int end = enter(start, length);
    while (pos < limit) {
      long tag = varint();
      int wire = (int) (tag & 7);
      if ((tag >>> 3) != 3 || wire != LENGTH_DELIMITED) {
        skip(wire);
        continue;
      }
      int labelLength = length();
      long key = 0;
      long str = 0;
      long num = 0;
      long numUnit = 0;
      int labelEnd = enter(pos, labelLength);
      while (pos < limit) {
        long t = varint();
        if ((t & 7) != VARINT) {
          skip((int) (t & 7));
          continue;
        }
        long v = varint();
        switch ((int) (t >>> 3)) {
          case 1 -> key = v;
          case 2 -> str = v;
          case 3 -> num = v;
          case 4 -> numUnit = v;
          default -> {}
        }
      }
      leave(labelEnd);
      at("sample", sample, out.size());
      String k = string(key, ".key");
      if (k.isEmpty()) {
        throw new ProfileDecodeException("pprof " + where("") + " has an empty key");
      }
      if (str != 0) {
        out.add(Attribute.string(k, string(str, ".str")));
      } else {
        out.add(Attribute.number(k, num, string(numUnit, ".num_unit")));
      }
    }
    leave(end);
    return out;
  }

  /**
   * Names the entry being read, for error messages, which are built only when one is thrown: a
   * message string per entry was a third of the decoder's garbage.
   */
  private void at(String table, int entry) {
    at(table, entry, -1);
  }

  /** As {@link #at(String, int)} for the {@code label}-th label of sample {@code entry}. */
  private void at(String table, int entry, int label) {
    whereTable = table;
    whereEntry = entry;
    whereLabel = label;
  }

  /** The entry named by {@link #at}, then {@code field}: {@code sample[3].label[1].key}. */
  private String where(String field) {
    StringBuilder s = new StringBuilder(whereTable);
    if (whereEntry >= 0) {
      s.append('[').append(whereEntry).append(']');
    }
    if (whereLabel >= 0) {
      s.append(".label[").append(whereLabel).append(']');
    }
    return s.append(field).toString();
  }

  private void checkId(long id, boolean duplicate) throws ProfileDecodeException {
    if (id == 0) {
      throw new ProfileDecodeException("pprof " + where("") + " has id 0; ids must be non-zero");
    }
    if (duplicate) {
      throw new ProfileDecodeException("pprof " + where("") + " repeats id " + id);
    }
  }

  /** Checks a string index; {@code field} is appended to the entry named by {@link #at}. */
  private void checkString(long index, String field) throws ProfileDecodeException {
    if ((index < 0 || index >= strings.count) && index != 0) {
      throw new ProfileDecodeException(
          "pprof "
              + where(field)
              + " points at string "
              + index
              + " but string_table has "
              + strings.count
              + " entries");
    }
  }

  private int offset(long index) {
    return index < strings.count ? strings.start[(int) index] : 0;
  }

  private int length(long index) {
    return index < strings.count ? strings.length[(int) index] : 0;
  }

  private boolean ascii(long index) {
    int from = offset(index);
    int to = from + length(index);
    for (int i = from; i < to; i++) {
      if (buf[i] < 0) {
        return false;
      }
    }
    return true;
  }

  private String string(long index, String field) throws ProfileDecodeException {
    checkString(index, field);
    if (index >= strings.count) {
      return "";
    }
    int i = (int) index;
    String s = made[i];
    if (s == null) {
      int from = strings.start[i];
      int n = strings.length[i];
      try {
        s =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(buf, from, n))
                .toString();
      } catch (CharacterCodingException e) {
        throw new ProfileDecodeException(
            "pprof payload is not a valid profile: string_table[" + i + "] is not valid UTF-8", e);
      }
      made[i] = s;
    }
    return s;
  }

  // Wire format.

  /** Narrows reading to a nested message; returns the outer limit to restore. */
  private int enter(int start, int length) {
    int outer = limit;
    pos = start;
    limit = start + length;
    return outer;
  }

  private void leave(int outer) {
    pos = limit;
    limit = outer;
  }

  private long varint() throws ProfileDecodeException {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= limit) {
        throw malformed("truncated varint");
      }
      byte b = buf[pos++];
      result |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return result;
      }
    }
    throw malformed("varint longer than 10 bytes");
  }

  /** Reads a packed field's length; returns where its elements end. */
  private int packedEnd() throws ProfileDecodeException {
    int n = length();
    return pos + n;
  }

  private int length() throws ProfileDecodeException {
    long n = varint();
    if (n < 0 || n > limit - pos) {
      throw malformed("a field of " + n + " bytes runs past the end of its message");
    }
    return (int) n;
  }

  private void skip(int wire) throws ProfileDecodeException {
    int n =
        switch (wire) {
          case VARINT -> {
            varint();
            yield 0;
          }
          case FIXED64 -> 8;
          case LENGTH_DELIMITED -> length();
          case FIXED32 -> 4;
          default -> throw malformed("wire type " + wire + " is not supported");
        };
    if (n > limit - pos) {
      throw malformed("a fixed-size field runs past the end of its message");
    }
    pos += n;
  }

  private ProfileDecodeException malformed(String what) {
    return new ProfileDecodeException(
        "pprof payload is not a valid profile: " + what + " at byte " + pos);
  }

  /** Where each entry of one repeated field lies in the buffer. */
  private static final class Spans {
    int[] start = new int[0];
    int[] length = new int[0];
    int count;

    /** Allocates room for the {@code count} entries the counting pass found, and empties. */
    void reserve() {
      start = new int[count];
      length = new int[count];
      count = 0;
    }

    void add(int s, int n) {
      start[count] = s;
      length[count++] = n;
    }
  }

  /**
   * Slots by pprof id. Producers number entries 1..n (Go, pprof's own tools), so ids up to a few
   * times the table's size are looked up in an array; others, which the format allows, in a map.
   */
  private static final class IdIndex {
    private final int[] dense;
    private final Map<Long, Integer> sparse = new HashMap<>();

    IdIndex(int size) {
      this.dense = new int[4 * size + 1];
    }

    /** The slot of an id, or -1. */
    int get(long id) {
      if (id > 0 && id < dense.length) {
        return dense[(int) id] - 1;
      }
      Integer slot = sparse.get(id);
      return slot == null ? -1 : slot;
    }

    void put(long id, int slot) {
      if (id > 0 && id < dense.length) {
        dense[(int) id] = slot + 1;
      } else {
        sparse.put(id, slot);
      }
    }
  }
}
