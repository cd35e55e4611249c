package dev.hearth.agent.bpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.hearth.agent.AgentException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A libbpf ring buffer over a {@code BPF_MAP_TYPE_RINGBUF} map. {@link #poll} calls back into Java
 * for each record; the callback never lets an exception out (the JVM would exit): the first one is
 * kept and rethrown once {@code ring_buffer__poll} has returned. Poll from one thread only.
 */
public final class RingBuffer implements AutoCloseable {
  private final Arena arena = Arena.ofShared();
  private final MemorySegment ringBuffer;
  private final MemorySegment errno;
  private final Consumer<CpuSample> consumer;
  private final MemorySegment stub;
  private @Nullable Throwable pending;
  private long records;
  private volatile boolean stopping;

  public RingBuffer(int mapFd, Consumer<CpuSample> consumer) {
    this.consumer = consumer;
    this.errno = Native.errnoBuffer(arena);
    try {
      MethodHandle callback =
          MethodHandles.lookup()
              .findVirtual(
                  RingBuffer.class,
                  "onRecord",
                  MethodType.methodType(
                      int.class, MemorySegment.class, MemorySegment.class, long.class))
              .bindTo(this);
      stub =
          Native.LINKER.upcallStub(
              callback, FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG), arena);
      ringBuffer =
          (MemorySegment)
              Libbpf.RING_BUFFER_NEW.invokeExact(errno, mapFd, stub, Native.NULL, Native.NULL);
    } catch (Throwable t) {
      arena.close();
      throw new IllegalStateException(t);
    }
    if (ringBuffer.equals(Native.NULL)) {
      int e = Native.errno(errno);
      arena.close();
      throw new BpfException(
          AgentException.UNSUPPORTED, "ring_buffer__new", e, "Linux 5.8+ is needed");
    }
  }

  @SuppressWarnings("unused") // called from native code
  private int onRecord(MemorySegment ctx, MemorySegment data, long size) {
    if (stopping) {
      return -125; // ECANCELED: ring_buffer__poll returns at once (records keep coming under load)
    }
    try {
      records++;
      if (size >= CpuSample.HEADER_SIZE) {
        consumer.accept(CpuSample.read(data.reinterpret(size)));
      }
    } catch (Throwable t) {
      if (pending == null) {
        pending = t;
      }
    }
    return 0;
  }

  /** Adds another ring-buffer map; its records go to the same consumer. */
  public void add(int mapFd) {
    int rc;
    try {
      rc = (int) Libbpf.RING_BUFFER_ADD.invokeExact(errno, ringBuffer, mapFd, stub, Native.NULL);
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
    if (rc < 0) {
      throw new BpfException(AgentException.UNSUPPORTED, "ring_buffer__add", -rc, "Linux 5.8+");
    }
  }

  /**
   * Waits up to {@code timeoutMillis} for records and hands each to the consumer.
   *
   * @return the number of records consumed
   */
  public int poll(int timeoutMillis) {
    int n;
    try {
      n = (int) Libbpf.RING_BUFFER_POLL.invokeExact(errno, ringBuffer, timeoutMillis);
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
    Throwable t = pending;
    if (t != null) {
      pending = null;
      if (t instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("sample consumer failed", t);
    }
    if (n < 0 && n != -4 /* EINTR */ && !stopping) {
      throw new BpfException(AgentException.FAILED, "ring_buffer__poll", -n, "");
    }
    return Math.max(n, 0);
  }

  /**
   * Makes a running or the next {@link #poll} return without consuming more records: under a steady
   * stream of records one poll would otherwise never end. Any thread.
   */
  public void stop() {
    stopping = true;
  }

  /** Records seen since creation. */
  public long records() {
    return records;
  }

  @Override
  public void close() {
    try {
      Libbpf.RING_BUFFER_FREE.invokeExact(errno, ringBuffer);
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    } finally {
      arena.close();
    }
  }
}
