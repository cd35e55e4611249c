package dev.hearth.model;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One frame of a stack: an instruction address in a mapping and the source lines it resolves to.
 * Several lines mean inlining: {@code lines().get(0)} is the innermost (inlined) function and the
 * last line is the caller it was inlined into, as in pprof.
 *
 * <p>{@link #address()} is file-relative (the offset a symboliser would look up in the file), so it
 * does not change with address-space layout randomisation. Unsymbolised native frames carry a
 * synthetic function named {@code libfoo.so+0x1a2b}; see {@link #unsymbolized}.
 */
public final class Location {
  private final @Nullable Mapping mapping;
  private final long address;
  private final List<Line> lines;
  private final String frameType;
  private final long id;

  private Location(@Nullable Mapping mapping, long address, List<Line> lines, String frameType) {
    this.mapping = mapping;
    this.address = address;
    this.lines = List.copyOf(lines);
    this.frameType = Objects.requireNonNull(frameType, "frameType");
    this.id = Ids.location(mapping == null ? 0 : mapping.id(), address, this.lines, frameType);
  }

  /**
   * @param mapping the object the address is in, or null when unknown or not applicable
   * @param address file-relative instruction address, or 0 when unknown
   * @param lines source lines, innermost first; empty only for frames nobody could name
   * @param frameType runtime that produced the frame ({@code native}, {@code kernel}, {@code jvm},
   *     …), or empty
   */
  public static Location of(
      @Nullable Mapping mapping, long address, List<Line> lines, String frameType) {
    return new Location(mapping, address, lines, frameType);
  }

  /** A frame known only by its function, as folded stacks and JFR give them. */
  public static Location of(Function function) {
    return new Location(null, 0, List.of(new Line(function, 0, 0)), "");
  }

  /** A native frame no symbol was found for, named {@code <mapping base name>+0x<address>}. */
  public static Location unsymbolized(Mapping mapping, long address, String frameType) {
    Function synthetic = Function.of(syntheticName(mapping, address));
    return new Location(mapping, address, List.of(new Line(synthetic, 0, 0)), frameType);
  }

  /** The synthetic function name for an unsymbolised address: {@code libfoo.so+0x1a2b}. */
  public static String syntheticName(@Nullable Mapping mapping, long address) {
    String base = mapping == null || mapping.baseName().isEmpty() ? "unknown" : mapping.baseName();
    return base + "+0x" + Long.toHexString(address);
  }

  /**
   * True when this is a native frame nobody named: its only line is the synthetic {@code
   * file+0xaddress} function {@link #unsymbolized} makes, so a server-side symboliser may replace
   * it.
   */
  public boolean isUnsymbolized() {
    if (mapping == null || lines.size() != 1) {
      return false;
    }
    Line only = lines.getFirst();
    Function f = only.function();
    return only.line() == 0
        && f.systemName().isEmpty()
        && f.filename().isEmpty()
        && f.startLine() == 0
        && f.name().equals(syntheticName(mapping, address));
  }

  public @Nullable Mapping mapping() {
    return mapping;
  }

  public long address() {
    return address;
  }

  public List<Line> lines() {
    return lines;
  }

  public String frameType() {
    return frameType;
  }

  /** The outermost function of this frame (the caller the others were inlined into). */
  public @Nullable Function function() {
    return lines.isEmpty() ? null : lines.getLast().function();
  }

  /** Content hash over (mapping id, address, lines, frame type); see {@link Ids}. */
  public long id() {
    return id;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Location l
        && l.id == id
        && l.address == address
        && Objects.equals(l.mapping, mapping)
        && l.lines.equals(lines)
        && l.frameType.equals(frameType);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(id);
  }

  @Override
  public String toString() {
    if (lines.isEmpty()) {
      return syntheticName(mapping, address);
    }
    StringBuilder sb = new StringBuilder();
    for (Line line : lines) {
      if (!sb.isEmpty()) {
        sb.append(" <inlined into> ");
      }
      sb.append(line.function().name());
    }
    return sb.toString();
  }
}
