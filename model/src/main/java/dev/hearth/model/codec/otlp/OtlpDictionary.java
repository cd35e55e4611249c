package dev.hearth.model.codec.otlp;

import dev.hearth.model.Attribute;
import dev.hearth.model.Function;
import dev.hearth.model.Ids;
import dev.hearth.model.Line;
import dev.hearth.model.Location;
import dev.hearth.model.Mapping;
import dev.hearth.model.Stack;
import dev.hearth.model.codec.FrameCache;
import dev.hearth.model.codec.ProfileDecodeException;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.profiles.v1development.KeyValueAndUnit;
import io.opentelemetry.proto.profiles.v1development.ProfilesDictionary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Resolves indexes into a {@link ProfilesDictionary} to model objects, each entry once. Every index
 * is bounds-checked; index 0 of every table is its zero value (the empty string, no mapping, no
 * attribute, an empty stack) whether or not the table spells it out.
 */
final class OtlpDictionary implements OtlpAttributes.Strings {
  private static final Location ZERO_LOCATION = Location.of(null, 0, List.of(), "");
  private static final Stack ZERO_STACK = Stack.of(List.of());

  /** A mapping with the address range that makes its locations' addresses file-relative. */
  record MappingAt(Mapping mapping, long memoryStart, long memoryLimit, long fileOffset) {
    /** The file-relative form of an address in this mapping; addresses outside stay as given. */
    long fileRelative(long address) {
      boolean inside =
          address != 0
              && Long.compareUnsigned(address, memoryStart) >= 0
              && (memoryLimit == 0 || Long.compareUnsigned(address, memoryLimit) < 0);
      return inside ? address - memoryStart + fileOffset : address;
    }
  }

  private final ProfilesDictionary d;
  private final @Nullable Function[] functions;
  private final @Nullable MappingAt[] mappings;
  private final @Nullable Location[] locations;
  private final @Nullable Stack[] stacks;
  private final @Nullable Attribute[] attributes;
  private final boolean[] attributeRead;
  private final FrameCache cache;

  /** A marker in {@link #frameTypes}: the attribute is not the frame type. */
  private static final String NOT_FRAME_TYPE = "\u0000not a frame type";

  /** Per attribute index: the frame type it names, {@link #NOT_FRAME_TYPE}, or null if unread. */
  private final @Nullable String[] frameTypes;

  /** Content ids of locations by index, computed without building them; 0 until computed. */
  private final long[] locationIds;

  // Lines of the location whose id is being computed.
  private long[] lineFunctions = new long[8];
  private long[] lineNumbers = new long[8];
  private long[] lineColumns = new long[8];

  OtlpDictionary(ProfilesDictionary d, FrameCache cache) {
    this.d = d;
    this.cache = cache;
    this.locationIds = new long[d.getLocationTableCount()];
    this.frameTypes = new String[d.getAttributeTableCount()];
    this.functions = new Function[d.getFunctionTableCount()];
    this.mappings = new MappingAt[d.getMappingTableCount()];
    this.locations = new Location[d.getLocationTableCount()];
    this.stacks = new Stack[d.getStackTableCount()];
    this.attributes = new Attribute[d.getAttributeTableCount()];
    this.attributeRead = new boolean[d.getAttributeTableCount()];
  }

  /** Throws unless {@code index} is 0 or inside a table of {@code size} entries. */
  static void check(int index, int size, String table, String field) throws ProfileDecodeException {
    if (index != 0 && (index < 0 || index >= size)) {
      throw new ProfileDecodeException(
          table
              + " index "
              + index
              + " is out of range ("
              + table
              + " has "
              + size
              + " entries), referenced by "
              + field);
    }
  }

  @Override
  public String get(int index, String field) throws ProfileDecodeException {
    check(index, d.getStringTableCount(), "string_table", field);
    return index == 0 ? "" : d.getStringTable(index);
  }

  Stack stack(int index, String field) throws ProfileDecodeException {
    check(index, stacks.length, "stack_table", field);
    if (index == 0) {
      return ZERO_STACK;
    }
    Stack stack = stacks[index];
    if (stack == null) {
      var s = d.getStackTable(index);
      int n = s.getLocationIndicesCount();
      long[] ids = new long[n];
      for (int i = 0; i < n; i++) {
        int at = s.getLocationIndices(i);
        if (at <= 0 || at >= locations.length) {
          // The field's name is made only for the error (or the zero location).
          ids[i] = locationId(at, "stack_table[" + index + "].location_indices[" + i + "]");
        } else {
          ids[i] = locationId(at, "");
        }
      }
      // A stack the cache holds needs none of its locations built.
      long id = Ids.stackId(ids, n);
      stack = cache.stack(id);
      if (stack == null) {
        List<Location> leafFirst = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          leafFirst.add(location(s.getLocationIndices(i), "stack_table[" + index + "]"));
        }
        stack = Stack.of(leafFirst);
        if (stack.id() != id) {
          throw new IllegalStateException("stack id of the location ids differs from Stack.id()");
        }
        cache.putStack(stack);
      }
      stacks[index] = stack;
    }
    return stack;
  }

  /**
   * The content id {@link #readLocation} would give the location at {@code index}, computed from
   * the table without building it.
   */
  private long locationId(int index, String field) throws ProfileDecodeException {
    check(index, locations.length, "location_table", field);
    if (index == 0) {
      return ZERO_LOCATION.id();
    }
    long id = locationIds[index];
    if (id != 0) {
      return id;
    }
    var l = d.getLocationTable(index);
    int mappingIndex = l.getMappingIndex();
    MappingAt at =
        mappingIndex > 0 && mappingIndex < mappings.length && mappings[mappingIndex] != null
            ? mappings[mappingIndex]
            : mapping(mappingIndex, where(index) + ".mapping_index");
    Mapping mapping = at == null ? null : at.mapping();
    long address = at == null ? l.getAddress() : at.fileRelative(l.getAddress());
    String frameType = l.getAttributeIndicesCount() == 0 ? "" : frameType(l, index);
    int count = 0;
    for (int i = 0; i < l.getLinesCount(); i++) {
      var line = l.getLines(i);
      if (line.getFunctionIndex() == 0) {
        continue;
      }
      if (count == lineFunctions.length) {
        lineFunctions = Arrays.copyOf(lineFunctions, count * 2);
        lineNumbers = Arrays.copyOf(lineNumbers, count * 2);
        lineColumns = Arrays.copyOf(lineColumns, count * 2);
      }
      int fi = line.getFunctionIndex();
      Function known = fi > 0 && fi < functions.length ? functions[fi] : null;
      lineFunctions[count] =
          known != null
              ? known.id()
              : function(fi, where(index) + ".lines[" + i + "].function_index").id();
      lineNumbers[count] = line.getLine();
      lineColumns[count++] = line.getColumn();
    }
    if (count == 0 && (mapping != null || address != 0)) {
      lineFunctions[0] = Function.of(Location.syntheticName(mapping, address)).id();
      lineNumbers[0] = 0;
      lineColumns[0] = 0;
      count = 1;
    }
    id =
        Ids.locationId(
            mapping == null ? 0 : mapping.id(),
            address,
            lineFunctions,
            lineNumbers,
            lineColumns,
            count,
            frameType);
    locationIds[index] = id;
    return id;
  }

  private static String where(int location) {
    return "location_table[" + location + "]";
  }

  private String frameType(io.opentelemetry.proto.profiles.v1development.Location l, int index)
      throws ProfileDecodeException {
    String frameType = "";
    for (int i = 0; i < l.getAttributeIndicesCount(); i++) {
      int a = l.getAttributeIndices(i);
      String known = a > 0 && a < frameTypes.length ? frameTypes[a] : null;
      if (known == null) {
        String field = where(index) + ".attribute_indices[" + i + "]";
        KeyValueAndUnit kv = attributeEntry(a, field);
        known =
            get(kv.getKeyStrindex(), field + ".key_strindex").equals(OtlpAttributes.FRAME_TYPE)
                ? OtlpAttributes.text(kv.getValue(), this, field + ".value")
                : NOT_FRAME_TYPE;
        if (a > 0) {
          frameTypes[a] = known;
        }
      }
      if (!NOT_FRAME_TYPE.equals(known)) {
        frameType = known;
      }
    }
    return frameType;
  }

  Location location(int index, String field) throws ProfileDecodeException {
    check(index, locations.length, "location_table", field);
    if (index == 0) {
      return ZERO_LOCATION;
    }
    Location location = locations[index];
    if (location == null) {
      long id = locationId(index, field);
      location = cache.location(id);
      if (location == null) {
        location = readLocation(index);
        if (location.id() != id) {
          throw new IllegalStateException("location id of the table differs from Location.id()");
        }
        cache.putLocation(location);
      }
      locations[index] = location;
    }
    return location;
  }

  private Location readLocation(int index) throws ProfileDecodeException {
    var l = d.getLocationTable(index);
    String where = "location_table[" + index + "]";
    MappingAt at = mapping(l.getMappingIndex(), where + ".mapping_index");
    Mapping mapping = at == null ? null : at.mapping();
    long address = at == null ? l.getAddress() : at.fileRelative(l.getAddress());
    String frameType = frameType(l, index);
    // OTLP, like pprof, lists inlined functions first and the caller they were inlined into
    // last: the model's innermost-first order, so the lines keep their order.
    List<Line> lines = new ArrayList<>(l.getLinesCount());
    for (int i = 0; i < l.getLinesCount(); i++) {
      var line = l.getLines(i);
      if (line.getFunctionIndex() == 0) {
        continue; // the zero function: a line nobody could attribute to a function
      }
      Function f = function(line.getFunctionIndex(), where + ".lines[" + i + "].function_index");
      lines.add(new Line(f, line.getLine(), line.getColumn()));
    }
    if (lines.isEmpty() && (mapping != null || address != 0)) {
      Function synthetic = Function.of(Location.syntheticName(mapping, address));
      return Location.of(mapping, address, List.of(new Line(synthetic, 0, 0)), frameType);
    }
    return Location.of(mapping, address, lines, frameType);
  }

  @Nullable MappingAt mapping(int index, String field) throws ProfileDecodeException {
    check(index, mappings.length, "mapping_table", field);
    if (index == 0) {
      return null;
    }
    MappingAt at = mappings[index];
    if (at == null) {
      var m = d.getMappingTable(index);
      String where = "mapping_table[" + index + "]";
      String buildId = "";
      String kind = "";
      int rank = Integer.MAX_VALUE;
      for (int i = 0; i < m.getAttributeIndicesCount(); i++) {
        String attrField = where + ".attribute_indices[" + i + "]";
        KeyValueAndUnit kv = attributeEntry(m.getAttributeIndices(i), attrField);
        String key = get(kv.getKeyStrindex(), attrField + ".key_strindex");
        String k;
        if (key.startsWith(OtlpAttributes.BUILD_ID_PREFIX)) {
          k = key.substring(OtlpAttributes.BUILD_ID_PREFIX.length());
        } else if (key.equals(OtlpAttributes.BUILD_ID_PLAIN)) {
          k = "";
        } else {
          continue;
        }
        int r = OtlpAttributes.BUILD_ID_KINDS.indexOf(k);
        r = r >= 0 ? r : OtlpAttributes.BUILD_ID_KINDS.size() + (k.isEmpty() ? 1 : 0);
        String value = OtlpAttributes.text(kv.getValue(), this, attrField + ".value");
        if (!value.isEmpty() && r < rank) {
          rank = r;
          buildId = value;
          kind = k;
        }
      }
      String filename = get(m.getFilenameStrindex(), where + ".filename_strindex");
      at =
          new MappingAt(
              Mapping.of(filename, buildId, kind),
              m.getMemoryStart(),
              m.getMemoryLimit(),
              m.getFileOffset());
      mappings[index] = at;
    }
    return at;
  }

  Function function(int index, String field) throws ProfileDecodeException {
    check(index, functions.length, "function_table", field);
    if (index == 0) {
      return Function.of("");
    }
    Function f = functions[index];
    if (f == null) {
      var fn = d.getFunctionTable(index);
      String where = "function_table[" + index + "]";
      f =
          Function.of(
              get(fn.getNameStrindex(), where + ".name_strindex"),
              get(fn.getSystemNameStrindex(), where + ".system_name_strindex"),
              get(fn.getFilenameStrindex(), where + ".filename_strindex"),
              fn.getStartLine());
      functions[index] = f;
    }
    return f;
  }

  /** The raw attribute table entry; index 0 is the empty entry. */
  KeyValueAndUnit attributeEntry(int index, String field) throws ProfileDecodeException {
    check(index, attributes.length, "attribute_table", field);
    return index == 0 ? KeyValueAndUnit.getDefaultInstance() : d.getAttributeTable(index);
  }

  /**
   * The attribute as a model {@link Attribute}: integers stay numbers (with their unit), every
   * other value becomes its text. Null for index 0, an empty key or an unset value.
   */
  @Nullable Attribute attribute(int index, String field) throws ProfileDecodeException {
    KeyValueAndUnit kv = attributeEntry(index, field);
    if (index == 0 || attributeRead[index]) {
      return index == 0 ? null : attributes[index];
    }
    String where = "attribute_table[" + index + "]";
    String key = get(kv.getKeyStrindex(), where + ".key_strindex");
    AnyValue value = kv.getValue();
    Attribute a;
    if (key.isEmpty() || value.getValueCase() == AnyValue.ValueCase.VALUE_NOT_SET) {
      a = null;
    } else if (value.getValueCase() == AnyValue.ValueCase.INT_VALUE) {
      a =
          Attribute.number(
              key, value.getIntValue(), get(kv.getUnitStrindex(), where + ".unit_strindex"));
    } else {
      a = Attribute.string(key, OtlpAttributes.text(value, this, where + ".value"));
    }
    attributes[index] = a;
    attributeRead[index] = true;
    return a;
  }
}
