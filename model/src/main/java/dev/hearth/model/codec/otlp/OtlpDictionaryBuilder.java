package dev.hearth.model.codec.otlp;

import dev.hearth.model.Attribute;
import dev.hearth.model.Function;
import dev.hearth.model.Line;
import dev.hearth.model.Location;
import dev.hearth.model.Mapping;
import dev.hearth.model.Stack;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.profiles.v1development.KeyValueAndUnit;
import io.opentelemetry.proto.profiles.v1development.Link;
import io.opentelemetry.proto.profiles.v1development.ProfilesDictionary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds one {@link ProfilesDictionary} for a whole request: every string, function, mapping,
 * location, stack and attribute once, each table starting with its zero value.
 */
final class OtlpDictionaryBuilder {
  private final ProfilesDictionary.Builder d = ProfilesDictionary.newBuilder();
  private final Map<String, Integer> strings = new HashMap<>();
  private final Map<Function, Integer> functions = new HashMap<>();
  private final Map<Mapping, Integer> mappings = new HashMap<>();
  private final Map<Location, Integer> locations = new HashMap<>();
  private final Map<Stack, Integer> stacks = new HashMap<>();
  private final Map<KeyValueAndUnit, Integer> attributes = new HashMap<>();

  OtlpDictionaryBuilder() {
    string("");
    d.addFunctionTable(io.opentelemetry.proto.profiles.v1development.Function.getDefaultInstance());
    d.addMappingTable(io.opentelemetry.proto.profiles.v1development.Mapping.getDefaultInstance());
    d.addLocationTable(io.opentelemetry.proto.profiles.v1development.Location.getDefaultInstance());
    d.addStackTable(io.opentelemetry.proto.profiles.v1development.Stack.getDefaultInstance());
    d.addAttributeTable(KeyValueAndUnit.getDefaultInstance());
    d.addLinkTable(Link.getDefaultInstance());
  }

  ProfilesDictionary build() {
    return d.build();
  }

  int string(String s) {
    Integer index = strings.get(s);
    if (index == null) {
      index = d.getStringTableCount();
      d.addStringTable(s);
      strings.put(s, index);
    }
    return index;
  }

  int stack(Stack stack) {
    Integer index = stacks.get(stack);
    if (index == null) {
      var b = io.opentelemetry.proto.profiles.v1development.Stack.newBuilder();
      for (Location location : stack.locations()) {
        b.addLocationIndices(location(location));
      }
      index = d.getStackTableCount();
      d.addStackTable(b);
      stacks.put(stack, index);
    }
    return index;
  }

  private int location(Location location) {
    Integer index = locations.get(location);
    if (index == null) {
      var b = io.opentelemetry.proto.profiles.v1development.Location.newBuilder();
      Mapping mapping = location.mapping();
      if (mapping != null) {
        b.setMappingIndex(mapping(mapping));
      }
      b.setAddress(location.address());
      // An unsymbolised frame goes out without its synthetic name, so that readers can still
      // symbolise it; OtlpDecoder gives it the same name back.
      if (!isUnsymbolized(location)) {
        for (Line line : location.lines()) {
          b.addLinesBuilder()
              .setFunctionIndex(function(line.function()))
              .setLine(line.line())
              .setColumn(line.column());
        }
      }
      if (!location.frameType().isEmpty()) {
        b.addAttributeIndices(
            attribute(stringAttribute(OtlpAttributes.FRAME_TYPE, location.frameType())));
      }
      index = d.getLocationTableCount();
      d.addLocationTable(b);
      locations.put(location, index);
    }
    return index;
  }

  private static boolean isUnsymbolized(Location location) {
    if (location.lines().size() != 1 || (location.mapping() == null && location.address() == 0)) {
      return false;
    }
    Line line = location.lines().getFirst();
    return line.line() == 0
        && line.column() == 0
        && line.function()
            .equals(Function.of(Location.syntheticName(location.mapping(), location.address())));
  }

  private int mapping(Mapping mapping) {
    Integer index = mappings.get(mapping);
    if (index == null) {
      // Addresses are file-relative already: memory_start and file_offset 0 keep them so.
      var b =
          io.opentelemetry.proto.profiles.v1development.Mapping.newBuilder()
              .setFilenameStrindex(string(mapping.filename()));
      if (!mapping.buildId().isEmpty()) {
        String key =
            mapping.buildIdKind().isEmpty()
                ? OtlpAttributes.BUILD_ID_PLAIN
                : OtlpAttributes.BUILD_ID_PREFIX + mapping.buildIdKind();
        b.addAttributeIndices(attribute(stringAttribute(key, mapping.buildId())));
      }
      index = d.getMappingTableCount();
      d.addMappingTable(b);
      mappings.put(mapping, index);
    }
    return index;
  }

  private int function(Function f) {
    Integer index = functions.get(f);
    if (index == null) {
      index = d.getFunctionTableCount();
      d.addFunctionTableBuilder()
          .setNameStrindex(string(f.name()))
          .setSystemNameStrindex(string(f.systemName()))
          .setFilenameStrindex(string(f.filename()))
          .setStartLine(f.startLine());
      functions.put(f, index);
    }
    return index;
  }

  /** The attribute's index; a model attribute keeps its key, value and (numeric) unit. */
  int attribute(Attribute a) {
    if (a.isNumeric()) {
      return attribute(
          KeyValueAndUnit.newBuilder()
              .setKeyStrindex(string(a.key()))
              .setValue(AnyValue.newBuilder().setIntValue(a.num()))
              .setUnitStrindex(a.unit().isEmpty() ? 0 : string(a.unit()))
              .build());
    }
    return attribute(stringAttribute(a.key(), a.str() == null ? "" : a.str()));
  }

  List<Integer> attributes(List<Attribute> list) {
    List<Integer> out = new ArrayList<>(list.size());
    for (Attribute a : list) {
      out.add(attribute(a));
    }
    return out;
  }

  KeyValueAndUnit stringAttribute(String key, String value) {
    return KeyValueAndUnit.newBuilder()
        .setKeyStrindex(string(key))
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  int attribute(KeyValueAndUnit kv) {
    Integer index = attributes.get(kv);
    if (index == null) {
      index = d.getAttributeTableCount();
      d.addAttributeTable(kv);
      attributes.put(kv, index);
    }
    return index;
  }
}
