package dev.hearth.model;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An executable or library that code was loaded from. Identity is the file and its build id, not
 * where a process happened to map it: {@link Location#address()} is already file-relative, so the
 * same library in two processes is one mapping.
 */
public final class Mapping {
  private final String filename;
  private final String buildId;
  private final String buildIdKind;
  private final long id;

  private Mapping(String filename, String buildId, String buildIdKind) {
    this.filename = Objects.requireNonNull(filename, "filename");
    this.buildId = Objects.requireNonNull(buildId, "buildId");
    this.buildIdKind = Objects.requireNonNull(buildIdKind, "buildIdKind");
    this.id = Ids.mapping(filename, buildId, buildIdKind);
  }

  /**
   * @param filename path of the object as the process saw it, or a pseudo-name like {@code [vdso]}
   * @param buildId build id (hex for GNU build ids), or empty
   * @param buildIdKind how the build id was derived, e.g. {@code gnu}, or empty
   */
  public static Mapping of(String filename, String buildId, String buildIdKind) {
    return new Mapping(filename, buildId, buildIdKind);
  }

  public static Mapping of(String filename) {
    return new Mapping(filename, "", "");
  }

  public String filename() {
    return filename;
  }

  public String buildId() {
    return buildId;
  }

  public String buildIdKind() {
    return buildIdKind;
  }

  /** The file's base name: {@code /usr/lib/libc.so.6} → {@code libc.so.6}. */
  public String baseName() {
    int slash = filename.lastIndexOf('/');
    return slash < 0 ? filename : filename.substring(slash + 1);
  }

  /** Content hash over (filename, build id, build id kind); see {@link Ids}. */
  public long id() {
    return id;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Mapping m
        && m.id == id
        && m.filename.equals(filename)
        && m.buildId.equals(buildId)
        && m.buildIdKind.equals(buildIdKind);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(id);
  }

  @Override
  public String toString() {
    return buildId.isEmpty() ? filename : filename + " [" + buildId + "]";
  }
}
