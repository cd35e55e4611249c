package dev.hearth.model;

import com.dynatrace.hash4j.hashing.HashStream64;
import com.dynatrace.hash4j.hashing.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Content-hash ids: XXH3-64 (seed 0) over a canonical byte encoding, specified in {@code
 * model/IDS.md}.
 *
 * <p>The encoding is a one-byte tag per entity kind followed by its fields in a fixed order.
 * Strings are a 4-byte little-endian length followed by their UTF-8 bytes; integers are 8-byte
 * little-endian; lists are a 4-byte little-endian count followed by their elements. Id 0 means
 * "none" (for example a location without a mapping), so a hash that happens to be 0 is mapped to 1.
 */
public final class Ids {
  static final byte FUNCTION = 'F';
  static final byte MAPPING = 'M';
  static final byte LOCATION = 'L';
  static final byte STACK = 'S';
  static final byte SERIES = 'R';

  private static final ThreadLocal<HashStream64> STREAM =
      ThreadLocal.withInitial(() -> Hashing.xxh3_64().hashStream());

  private Ids() {}

  static HashStream64 start(byte tag) {
    return STREAM.get().reset().putByte(tag);
  }

  static HashStream64 putString(HashStream64 h, String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    return h.putInt(utf8.length).putBytes(utf8);
  }

  static long finish(HashStream64 h) {
    long id = h.getAsLong();
    return id == 0 ? 1 : id;
  }

  static long function(String name, String systemName, String filename, long startLine) {
    HashStream64 h = start(FUNCTION);
    putString(h, name);
    putString(h, systemName);
    putString(h, filename);
    return finish(h.putLong(startLine));
  }

  static long mapping(String filename, String buildId, String buildIdKind) {
    HashStream64 h = start(MAPPING);
    putString(h, filename);
    putString(h, buildId);
    putString(h, buildIdKind);
    return finish(h);
  }

  static long location(long mappingId, long address, List<Line> lines, String frameType) {
    HashStream64 h = start(LOCATION).putLong(mappingId).putLong(address).putInt(lines.size());
    for (Line line : lines) {
      h.putLong(line.function().id()).putLong(line.line()).putLong(line.column());
    }
    putString(h, frameType);
    return finish(h);
  }

  static long stack(List<Location> leafFirst) {
    HashStream64 h = start(STACK).putInt(leafFirst.size());
    for (Location location : leafFirst) {
      h.putLong(location.id());
    }
    return finish(h);
  }

  static long series(ProfileType type, LabelSet labels) {
    HashStream64 h = start(SERIES);
    putString(h, type.id());
    h.putInt(labels.size());
    labels.forEach(
        (name, value) -> {
          putString(h, name);
          putString(h, value);
        });
    return finish(h);
  }

  /**
   * {@link Function#id()} of a function whose strings are slices of {@code utf8}, for decoders that
   * read a wire format without making strings first. Each slice must be valid UTF-8 (as the String
   * path would encode it back), which the caller checks.
   */
  public static long functionId(
      byte[] utf8,
      int nameOffset,
      int nameLength,
      int systemNameOffset,
      int systemNameLength,
      int filenameOffset,
      int filenameLength,
      long startLine) {
    HashStream64 h = start(FUNCTION);
    h.putInt(nameLength).putBytes(utf8, nameOffset, nameLength);
    h.putInt(systemNameLength).putBytes(utf8, systemNameOffset, systemNameLength);
    h.putInt(filenameLength).putBytes(utf8, filenameOffset, filenameLength);
    return finish(h.putLong(startLine));
  }

  /**
   * {@link Location#id()} of a location with an empty frame type whose {@code count} lines are
   * given as parallel arrays of function ids, line and column numbers, innermost first.
   */
  public static long locationId(
      long mappingId, long address, long[] functionIds, long[] lines, long[] columns, int count) {
    return locationId(mappingId, address, functionIds, lines, columns, count, "");
  }

  /** {@link Location#id()} as {@link #locationId(long, long, long[], long[], long[], int)}. */
  public static long locationId(
      long mappingId,
      long address,
      long[] functionIds,
      long[] lines,
      long[] columns,
      int count,
      String frameType) {
    HashStream64 h = start(LOCATION).putLong(mappingId).putLong(address).putInt(count);
    for (int i = 0; i < count; i++) {
      h.putLong(functionIds[i]).putLong(lines[i]).putLong(columns[i]);
    }
    if (frameType.isEmpty()) {
      return finish(h.putInt(0));
    }
    return finish(putString(h, frameType));
  }

  /** {@link Stack#id()} of the first {@code count} location ids, leaf first. */
  public static long stackId(long[] leafFirstLocationIds, int count) {
    HashStream64 h = start(STACK).putInt(count);
    for (int i = 0; i < count; i++) {
      h.putLong(leafFirstLocationIds[i]);
    }
    return finish(h);
  }

  /** The series id of a profile type and label set: what the {@code series} table is keyed by. */
  public static long seriesId(ProfileType type, LabelSet labels) {
    return series(type, labels);
  }
}
