package dev.hearth.symbols;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Debug files uploaded to the server, one per tenant and build id, under {@code
 * <root>/<tenant>/.build-id/xx/rest.debug}. A tenant sees only its own uploads: a build id is
 * claimed by the uploader, not proven, so one tenant's file must not name another's frames.
 */
public final class UploadedDebugFiles implements DebugFileSource {
  private static final Pattern PLAIN_TENANT = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final Path root;
  private final long maxSize;

  /**
   * @param root directory the uploads are kept in (created when missing)
   * @param maxSize largest upload accepted, in bytes
   */
  public UploadedDebugFiles(Path root, long maxSize) {
    this.root = root;
    this.maxSize = maxSize;
  }

  @Override
  public String name() {
    return "upload";
  }

  /** Result of {@link #store}: the file kept and what it holds. */
  public record Stored(Path path, ElfFileInfo info, boolean replaced) {}

  /** An upload that cannot be kept; the message names the problem (a 400 for the client). */
  public static final class RejectedUploadException extends IOException {
    private static final long serialVersionUID = 1L;

    public RejectedUploadException(String message) {
      super(message);
    }
  }

  /** A new empty file next to the uploads, for a body being received; {@link #store} moves it. */
  public Path newUploadFile() throws IOException {
    Files.createDirectories(root);
    return Files.createTempFile(root, ".upload-", ".tmp");
  }

  /**
   * Keeps the ELF file {@code received} (from {@link #newUploadFile}) as {@code buildId}'s debug
   * file for {@code tenant}, replacing an earlier one, or deletes it and throws {@link
   * RejectedUploadException}. The file must be ELF, carry that GNU build id (when it carries one at
   * all) and have a symbol table or DWARF.
   */
  public Stored store(String tenant, String buildId, Path received) throws IOException {
    try {
      long size = Files.size(received);
      if (size == 0) {
        throw new RejectedUploadException("the body is empty: send the ELF debug file");
      }
      if (size > maxSize) {
        throw new RejectedUploadException(
            "the upload is larger than " + maxSize + " bytes (hearth.symbols.max-upload-size)");
      }
      ElfFileInfo info;
      try {
        info = ElfFileInfo.read(received);
      } catch (CorruptDebugFileException e) {
        throw new RejectedUploadException("the body is not a usable ELF file: " + e.getMessage());
      }
      if (!info.buildId().isEmpty() && !info.buildId().equals(buildId)) {
        throw new RejectedUploadException(
            "the file's GNU build id is " + info.buildId() + ", not " + buildId);
      }
      if (!info.hasSymbols()) {
        throw new RejectedUploadException(
            "the file has no .symtab, .dynsym or DWARF: nothing to name addresses with");
      }
      Path target = path(tenant, buildId);
      Files.createDirectories(target.getParent());
      boolean replaced = Files.exists(target);
      try {
        Files.move(
            received, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(received, target, StandardCopyOption.REPLACE_EXISTING);
      }
      return new Stored(target, info, replaced);
    } finally {
      Files.deleteIfExists(received);
    }
  }

  /** The largest upload accepted, in bytes. */
  public long maxSize() {
    return maxSize;
  }

  @Override
  public @Nullable DebugFile find(String tenant, String buildId) throws IOException {
    Path p = path(tenant, buildId);
    if (!Files.isRegularFile(p)) {
      return null;
    }
    return new DebugFile(p, name(), Files.getLastModifiedTime(p).toMillis());
  }

  private Path path(String tenant, String buildId) {
    return root.resolve(tenantDirectory(tenant)).resolve(BuildIds.debugPath(buildId));
  }

  /** Tenant names are free text: plain ones are used as is, others hex-encoded (never a path). */
  static String tenantDirectory(String tenant) {
    return PLAIN_TENANT.matcher(tenant).matches()
        ? tenant
        : "~" + HexFormat.of().formatHex(tenant.getBytes(StandardCharsets.UTF_8));
  }
}
