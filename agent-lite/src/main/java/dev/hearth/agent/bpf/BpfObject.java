package dev.hearth.agent.bpf;

import dev.hearth.agent.AgentException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * A libbpf object: opened from the bytes of a {@code .bpf.o}, configured through its {@code
 * .rodata} before {@link #load}, then attached. Owns its arena, its links and the object; {@link
 * #close} releases them in reverse order and may be called more than once.
 */
public final class BpfObject implements AutoCloseable {
  private static final int LOG_SIZE = 1 << 20;

  private final Arena arena = Arena.ofShared();
  private final MemorySegment object;
  private final String name;
  private final List<MemorySegment> links = new ArrayList<>();
  private final List<MemorySegment> logBuffers = new ArrayList<>();
  private boolean closed;

  private BpfObject(MemorySegment object, String name) {
    this.object = object;
    this.name = name;
  }

  /** Opens (parses) an object from its ELF bytes; nothing reaches the kernel yet. */
  public static BpfObject open(byte[] elf, String name) {
    Arena arena = Arena.ofShared();
    try {
      MemorySegment buffer = arena.allocate(elf.length, 8);
      MemorySegment.copy(elf, 0, buffer, ValueLayout.JAVA_BYTE, 0, elf.length);
      MemorySegment errno = Native.errnoBuffer(arena);
      MemorySegment object =
          (MemorySegment)
              Libbpf.OBJECT_OPEN_MEM.invokeExact(errno, buffer, (long) elf.length, Native.NULL);
      if (object.equals(Native.NULL)) {
        throw new BpfException(
            AgentException.UNSUPPORTED,
            "bpf_object__open_mem(" + name + ")",
            Native.errno(errno),
            "the bundled BPF object could not be parsed; rebuild the bpf module");
      }
      // libbpf copies the ELF bytes; our copy may go.
      return new BpfObject(object, name);
    } catch (AgentException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    } finally {
      arena.close();
    }
  }

  /** The object's {@code .rodata} (its {@code const volatile} globals), writable before load. */
  public MemorySegment rodata() {
    return dataMap(".rodata");
  }

  /** The object's {@code .data} initial values, writable before load. */
  public MemorySegment data() {
    return dataMap(".data");
  }

  /**
   * Changes an 8-byte ({@code size} 8) or 4-byte global in {@code .data} of the loaded object.
   * Through the map (lookup, change, update): libbpf 1.1's {@code bpf_object__load} leaves {@code
   * bpf_map__initial_value} pointing at a private copy (only skeletons remap it onto the kernel's
   * memory), so writing there after load changes nothing.
   */
  public synchronized void writeData(long offset, long value, int size) {
    try (Arena local = Arena.ofConfined()) {
      MemorySegment errno = Native.errnoBuffer(local);
      MemorySegment map = internalMap(".data", errno);
      long valueSize = dataMap(".data").byteSize();
      int fd = (int) Libbpf.MAP_FD.invokeExact(errno, map);
      MemorySegment key = local.allocate(ValueLayout.JAVA_INT);
      MemorySegment buffer = local.allocate(valueSize, 8);
      int rc = (int) Libbpf.MAP_LOOKUP_ELEM.invokeExact(errno, fd, key, buffer);
      if (rc != 0) {
        throw new BpfException(AgentException.FAILED, "bpf_map_lookup_elem(.data)", -rc, "");
      }
      if (size == 8) {
        buffer.set(ValueLayout.JAVA_LONG, offset, value);
      } else {
        buffer.set(ValueLayout.JAVA_INT, offset, (int) value);
      }
      rc = (int) Libbpf.MAP_UPDATE_ELEM.invokeExact(errno, fd, key, buffer, 0L);
      if (rc != 0) {
        throw new BpfException(AgentException.FAILED, "bpf_map_update_elem(.data)", -rc, "");
      }
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /**
   * Reads an 8-byte global of the loaded object's {@code .bss} (counters) through the map, for the
   * reason {@link #writeData} gives.
   */
  public long readBssLong(long offset) {
    try (Arena local = Arena.ofConfined()) {
      MemorySegment errno = Native.errnoBuffer(local);
      MemorySegment map = internalMap(".bss", errno);
      long valueSize = dataMap(".bss").byteSize();
      int fd = (int) Libbpf.MAP_FD.invokeExact(errno, map);
      MemorySegment key = local.allocate(ValueLayout.JAVA_INT);
      MemorySegment buffer = local.allocate(valueSize, 8);
      int rc = (int) Libbpf.MAP_LOOKUP_ELEM.invokeExact(errno, fd, key, buffer);
      return rc != 0 ? 0 : buffer.get(ValueLayout.JAVA_LONG, offset);
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  private MemorySegment internalMap(String suffix, MemorySegment errno) throws Throwable {
    MemorySegment map = Native.NULL;
    while (true) {
      map = (MemorySegment) Libbpf.OBJECT_NEXT_MAP.invokeExact(errno, object, map);
      if (map.equals(Native.NULL)) {
        throw new IllegalStateException(name + " has no " + suffix + " map");
      }
      MemorySegment mapName = (MemorySegment) Libbpf.MAP_NAME.invokeExact(errno, map);
      if (mapName.reinterpret(64).getString(0).endsWith(suffix)) {
        return map;
      }
    }
  }

  /** The object's {@code .bss}, readable after load: it is the kernel's memory, mmapped. */
  public MemorySegment bss() {
    return dataMap(".bss");
  }

  private MemorySegment dataMap(String suffix) {
    try (Arena local = Arena.ofConfined()) {
      MemorySegment errno = Native.errnoBuffer(local);
      MemorySegment map = internalMap(suffix, errno);
      MemorySegment size = local.allocate(ValueLayout.JAVA_LONG);
      MemorySegment value = (MemorySegment) Libbpf.MAP_INITIAL_VALUE.invokeExact(errno, map, size);
      return value.reinterpret(size.get(ValueLayout.JAVA_LONG, 0));
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** A program of this object by its C function name. */
  public MemorySegment program(String programName) {
    try (Arena local = Arena.ofConfined()) {
      MemorySegment errno = Native.errnoBuffer(local);
      MemorySegment program =
          (MemorySegment)
              Libbpf.OBJECT_FIND_PROGRAM.invokeExact(
                  errno, object, local.allocateFrom(programName));
      if (program.equals(Native.NULL)) {
        throw new IllegalStateException(name + " has no program " + programName);
      }
      return program;
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /**
   * Loads every program into the kernel. When the verifier refuses one, the exception carries its
   * log.
   */
  public void load(List<String> programNames) {
    List<MemorySegment> logs = new ArrayList<>();
    try (Arena local = Arena.ofConfined()) {
      MemorySegment errno = Native.errnoBuffer(local);
      for (String p : programNames) {
        MemorySegment log = arena.allocate(LOG_SIZE);
        logBuffers.add(log);
        logs.add(log);
        int rc =
            (int) Libbpf.PROGRAM_SET_LOG_BUF.invokeExact(errno, program(p), log, (long) LOG_SIZE);
        if (rc != 0) {
          throw new BpfException(AgentException.FAILED, "bpf_program__set_log_buf", -rc, "");
        }
      }
      int rc = (int) Libbpf.OBJECT_LOAD.invokeExact(errno, object);
      if (rc != 0) {
        StringBuilder verifier = new StringBuilder();
        for (MemorySegment log : logs) {
          String text = log.getString(0).strip();
          if (!text.isEmpty()) {
            verifier.append("\n--- verifier log ---\n").append(tail(text, 60));
          }
        }
        int code = verifier.isEmpty() ? AgentException.UNSUPPORTED : AgentException.PROGRAM_REFUSED;
        String fix =
            verifier.isEmpty()
                ? "the kernel needs BPF, BTF (/sys/kernel/btf/vmlinux) and ring buffers (Linux 5.8+);"
                    + " run as root"
                : "the kernel refused the program";
        throw new BpfException(code, "loading " + name, -rc, fix + verifier);
      }
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  private static String tail(String text, int lines) {
    String[] all = text.split("\n");
    if (all.length <= lines) {
      return text;
    }
    return "…\n"
        + String.join("\n", java.util.Arrays.copyOfRange(all, all.length - lines, all.length));
  }

  /** Attaches a loaded program to an open perf event; the link lives until {@link #close}. */
  public void attachPerfEvent(String programName, int perfEventFd, String what) {
    try (Arena local = Arena.ofConfined()) {
      MemorySegment errno = Native.errnoBuffer(local);
      MemorySegment link =
          (MemorySegment)
              Libbpf.PROGRAM_ATTACH_PERF_EVENT.invokeExact(
                  errno, program(programName), perfEventFd);
      if (link.equals(Native.NULL)) {
        throw new BpfException(
            AgentException.UNSUPPORTED,
            "bpf_program__attach_perf_event(" + what + ")",
            Native.errno(errno),
            "the kernel must allow BPF programs on perf events");
      }
      links.add(link);
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** Attaches a loaded program where its section name says (tracepoints, {@code tp_btf}). */
  public void attach(String programName) {
    try (Arena local = Arena.ofConfined()) {
      MemorySegment errno = Native.errnoBuffer(local);
      MemorySegment link =
          (MemorySegment) Libbpf.PROGRAM_ATTACH.invokeExact(errno, program(programName));
      if (link.equals(Native.NULL)) {
        throw new BpfException(
            AgentException.UNSUPPORTED,
            "bpf_program__attach(" + programName + ")",
            Native.errno(errno),
            "the kernel needs BTF-enabled tracepoints (tp_btf, Linux 5.5+)");
      }
      links.add(link);
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /**
   * Attaches a loaded program as a uprobe (or uretprobe) at {@code offset} in the file {@code
   * path}, for process {@code pid} only (-1: every process mapping the file).
   */
  public void attachUprobe(
      String programName, boolean retprobe, int pid, String path, long offset) {
    try (Arena local = Arena.ofConfined()) {
      MemorySegment errno = Native.errnoBuffer(local);
      MemorySegment link =
          (MemorySegment)
              Libbpf.PROGRAM_ATTACH_UPROBE.invokeExact(
                  errno, program(programName), retprobe, pid, local.allocateFrom(path), offset);
      if (link.equals(Native.NULL)) {
        throw new BpfException(
            AgentException.UNSUPPORTED,
            "bpf_program__attach_uprobe("
                + programName
                + ", "
                + path
                + "+0x"
                + Long.toHexString(offset)
                + ")",
            Native.errno(errno),
            "the kernel needs uprobes (CONFIG_UPROBE_EVENTS) and the file must exist");
      }
      links.add(link);
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** Detaches every link; the programs stay loaded and can be attached again. */
  public synchronized void detachAll() {
    try (Arena local = Arena.ofConfined()) {
      MemorySegment errno = Native.errnoBuffer(local);
      for (int i = links.size() - 1; i >= 0; i--) {
        int unused = (int) Libbpf.LINK_DESTROY.invokeExact(errno, links.get(i));
      }
      links.clear();
    } catch (Throwable t) {
      throw new IllegalStateException("detaching " + name, t);
    }
  }

  /** The kernel fd of a loaded program (for statistics). */
  public int programFd(String programName) {
    try (Arena local = Arena.ofConfined()) {
      return (int) Libbpf.PROGRAM_FD.invokeExact(Native.errnoBuffer(local), program(programName));
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** The fd of a map by name, after load. */
  public int mapFd(String mapName) {
    try (Arena local = Arena.ofConfined()) {
      int fd =
          (int)
              Libbpf.OBJECT_FIND_MAP_FD.invokeExact(
                  Native.errnoBuffer(local), object, local.allocateFrom(mapName));
      if (fd < 0) {
        throw new IllegalStateException(name + " has no map " + mapName);
      }
      return fd;
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** Sets {@code key → value} in the hash map {@code mapName} of the loaded object. */
  public void updateMap(String mapName, MemorySegment key, MemorySegment value) {
    int fd = mapFd(mapName);
    try (Arena local = Arena.ofConfined()) {
      int rc =
          (int) Libbpf.MAP_UPDATE_ELEM.invokeExact(Native.errnoBuffer(local), fd, key, value, 0L);
      if (rc != 0) {
        throw new BpfException(
            AgentException.FAILED, "bpf_map_update_elem(" + mapName + ")", -rc, "");
      }
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** Removes {@code key} from the hash map {@code mapName}; a missing key is no error. */
  public void deleteFromMap(String mapName, MemorySegment key) {
    int fd = mapFd(mapName);
    try (Arena local = Arena.ofConfined()) {
      int unused = (int) Libbpf.MAP_DELETE_ELEM.invokeExact(Native.errnoBuffer(local), fd, key);
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** Detaches every link, then unloads the object. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try (Arena local = Arena.ofConfined()) {
      MemorySegment errno = Native.errnoBuffer(local);
      for (int i = links.size() - 1; i >= 0; i--) {
        int unused = (int) Libbpf.LINK_DESTROY.invokeExact(errno, links.get(i));
      }
      Libbpf.OBJECT_CLOSE.invokeExact(errno, object);
    } catch (Throwable t) {
      throw new IllegalStateException("closing " + name, t);
    } finally {
      arena.close();
    }
  }
}
