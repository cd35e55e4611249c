package dev.hearth.agent.unwind;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jspecify.annotations.Nullable;

/**
 * Reads another process's memory through {@code /proc/<pid>/mem}, for data that outlives the sample
 * (code objects, method metadata): never for what the sample itself must describe, which the BPF
 * program copies at sample time.
 */
public final class ProcessMemory implements AutoCloseable {
  private final int pid;
  private @Nullable FileChannel channel;
  private boolean failed;

  public ProcessMemory(int pid) {
    this.pid = pid;
  }

  /** {@code length} bytes at {@code address}, little-endian, or null when unreadable. */
  public synchronized @Nullable ByteBuffer read(long address, int length) {
    if (address <= 0 || length < 0) {
      return null;
    }
    FileChannel c = open();
    if (c == null) {
      return null;
    }
    ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    try {
      while (b.hasRemaining()) {
        int n = c.read(b, address + b.position());
        if (n <= 0) {
          return null;
        }
      }
    } catch (IOException e) {
      return null;
    }
    return b.flip();
  }

  /** The 8-byte word at {@code address}, or 0 when unreadable. */
  public long word(long address) {
    ByteBuffer b = read(address, 8);
    return b == null ? 0 : b.getLong(0);
  }

  private @Nullable FileChannel open() {
    if (channel == null && !failed) {
      try {
        channel = FileChannel.open(Path.of("/proc/" + pid + "/mem"), StandardOpenOption.READ);
      } catch (IOException e) {
        failed = true;
      }
    }
    return channel;
  }

  @Override
  public synchronized void close() {
    FileChannel c = channel;
    channel = null;
    if (c != null) {
      try {
        c.close();
      } catch (IOException e) {
        // nothing to do: the process is gone
      }
    }
  }
}
