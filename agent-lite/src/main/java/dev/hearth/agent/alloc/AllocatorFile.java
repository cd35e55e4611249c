package dev.hearth.agent.alloc;

import dev.hearth.agent.AgentException;
import dev.hearth.agent.elf.ElfFile;
import dev.hearth.agent.elf.SymbolTable;
import dev.hearth.agent.unwind.ProcessMaps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The file whose allocator a process uses, and the file offsets of its functions, for uprobes: the
 * executable itself when it defines {@code malloc} (jemalloc or tcmalloc linked in statically),
 * else a mapped {@code libjemalloc} or {@code libtcmalloc}, else the C library.
 *
 * @param path the file, as the agent sees it ({@code /proc/<pid>/root/...})
 * @param kind {@code libc}, {@code jemalloc}, {@code tcmalloc} or {@code executable}
 * @param offsets function name → file offset, for the functions the file defines
 */
public record AllocatorFile(String path, String kind, Map<String, Long> offsets) {
  public static final String[] FUNCTIONS = {"malloc", "calloc", "realloc", "free"};

  /** Finds the allocator of process {@code pid}. */
  public static AllocatorFile of(int pid) {
    String root = "/proc/" + pid + "/root";
    try {
      String exe = Files.readSymbolicLink(Path.of("/proc/" + pid + "/exe")).toString();
      AllocatorFile f = read(root + exe, "executable");
      if (f.offsets.containsKey("malloc") && f.offsets.containsKey("free")) {
        return f;
      }
    } catch (IOException | RuntimeException e) {
      // an unreadable executable: fall back to the libraries
    }
    String libc = "";
    String other = "";
    String otherKind = "";
    for (ProcessMaps.Entry e : ProcessMaps.read(pid).entries()) {
      String name = Path.of(e.path().isEmpty() ? "x" : e.path()).getFileName().toString();
      if (name.startsWith("libjemalloc")) {
        other = e.path();
        otherKind = "jemalloc";
      } else if (name.startsWith("libtcmalloc")) {
        other = e.path();
        otherKind = "tcmalloc";
      } else if (name.startsWith("libc.so") || name.startsWith("libc-")) {
        libc = e.path();
      }
    }
    String path = other.isEmpty() ? libc : other;
    if (path.isEmpty()) {
      throw new AgentException(
          AgentException.USAGE,
          "process " + pid + " maps no C library, jemalloc or tcmalloc: give --alloc-executable");
    }
    return read(root + path, other.isEmpty() ? "libc" : otherKind);
  }

  /** The allocator functions {@code path} defines. */
  public static AllocatorFile read(String path, String kind) {
    try {
      ElfFile elf = ElfFile.open(Path.of(path));
      Map<String, Long> offsets = new LinkedHashMap<>();
      for (String fn : FUNCTIONS) {
        long off = SymbolTable.fileOffsetOf(elf, fn);
        if (off >= 0) {
          offsets.put(fn, off);
        }
      }
      return new AllocatorFile(path, kind, offsets);
    } catch (IOException e) {
      throw new AgentException(AgentException.USAGE, "cannot read " + path + ": " + e, e);
    }
  }
}
