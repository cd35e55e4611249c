package dev.hearth.storage.embedded;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Claims a data directory for one {@link EmbeddedClickHouse}, across processes and within this one,
 * so a second instance fails before it rewrites the first one's config files and log. ClickHouse's
 * own lock on {@code clickhouse/status} would only stop it later. The operating system drops the
 * lock when this process ends, however it ends.
 */
final class DataDirLock implements AutoCloseable {
  private final FileChannel channel;

  private DataDirLock(FileChannel channel) {
    this.channel = channel;
  }

  /**
   * @throws EmbeddedClickHouseException if another instance holds the lock
   */
  static DataDirLock acquire(Path runtimeDir, Path dataDir) throws IOException {
    FileChannel channel =
        FileChannel.open(
            runtimeDir.resolve(".lock"),
            java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    boolean locked = false;
    try {
      locked = channel.tryLock() != null;
    } catch (OverlappingFileLockException e) {
      // Held by another instance in this JVM.
    } finally {
      if (!locked) {
        channel.close();
      }
    }
    if (!locked) {
      throw new EmbeddedClickHouseException(
          "the data directory "
              + dataDir
              + " is in use by another embedded ClickHouse; stop that one (another Hearth server?)"
              + " or give this one its own directory");
    }
    return new DataDirLock(channel);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
