package dev.hearth.model;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A function as a symboliser names it. Absent strings are empty, never null; an unknown start line
 * is 0. Immutable; its {@link #id()} is computed once from its content.
 */
public final class Function {
  private final String name;
  private final String systemName;
  private final String filename;
  private final long startLine;
  private final long id;

  private Function(String name, String systemName, String filename, long startLine) {
    this.name = Objects.requireNonNull(name, "name");
    this.systemName = Objects.requireNonNull(systemName, "systemName");
    this.filename = Objects.requireNonNull(filename, "filename");
    this.startLine = startLine;
    this.id = Ids.function(name, systemName, filename, startLine);
  }

  /**
   * @param name human-readable name, e.g. {@code main.handle} or {@code malloc}
   * @param systemName name as the system knows it (mangled C++ name, JVM signature), or empty
   * @param filename source file, or empty
   * @param startLine first line of the function in its source file, or 0
   */
  public static Function of(String name, String systemName, String filename, long startLine) {
    return new Function(name, systemName, filename, startLine);
  }

  /** A function known by name only. */
  public static Function of(String name) {
    return new Function(name, "", "", 0);
  }

  public String name() {
    return name;
  }

  public String systemName() {
    return systemName;
  }

  public String filename() {
    return filename;
  }

  public long startLine() {
    return startLine;
  }

  /** Content hash over (name, system name, filename, start line); see {@link Ids}. */
  public long id() {
    return id;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Function f
        && f.id == id
        && f.startLine == startLine
        && f.name.equals(name)
        && f.systemName.equals(systemName)
        && f.filename.equals(filename);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(id);
  }

  @Override
  public String toString() {
    return filename.isEmpty() ? name : name + " (" + filename + ")";
  }
}
