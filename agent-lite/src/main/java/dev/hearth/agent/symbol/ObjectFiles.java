package dev.hearth.agent.symbol;

import dev.hearth.agent.elf.EhFrame;
import dev.hearth.agent.elf.ElfFile;
import dev.hearth.agent.elf.SymbolTable;
import dev.hearth.model.Mapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Loads and caches {@link ObjectFile}s. A file is found through the process's own root ({@code
 * /proc/<pid>/root}, so containers work) and keyed by device and inode; its parsed tables are
 * shared by GNU build id, so one library in many processes or containers is parsed once. Symbols
 * come from a separate debug file when the file itself has no {@code .symtab}: {@code
 * /usr/lib/debug/.build-id/xx/yyyy.debug}, then the {@code .gnu_debuglink} name next to the file,
 * in its {@code .debug/} and under {@code /usr/lib/debug}.
 */
public final class ObjectFiles {
  private static final int MAX_FILES = 4096;

  private final Map<String, @Nullable ObjectFile> byInode = boundedMap();
  private final Map<String, ObjectFile> byBuildId = new ConcurrentHashMap<>();
  private final Path debugRoot;

  /** Where debug info of loaded objects is offered to the server, when uploads are on. */
  private static volatile @Nullable DebugInfoUploader uploader;

  /** Offers every object loaded from now on to {@code to} ({@link DebugInfoUploader}). */
  public static void uploadTo(@Nullable DebugInfoUploader to) {
    uploader = to;
  }

  public ObjectFiles() {
    this(Path.of("/usr/lib/debug"));
  }

  ObjectFiles(Path debugRoot) {
    this.debugRoot = debugRoot;
  }

  private static <V> Map<String, V> boundedMap() {
    return new LinkedHashMap<>(256, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > MAX_FILES;
      }
    };
  }

  /**
   * The object mapped at {@code path} in process {@code pid}, or null when it cannot be read or is
   * not ELF (failures are remembered, not retried).
   */
  public synchronized @Nullable ObjectFile get(int pid, String path, String inodeKey) {
    if (byInode.containsKey(inodeKey)) {
      return byInode.get(inodeKey);
    }
    ObjectFile loaded = null;
    try {
      loaded = load(pid, path);
    } catch (IOException | RuntimeException e) {
      // unreadable or not ELF: remembered as null
    }
    byInode.put(inodeKey, loaded);
    return loaded;
  }

  private ObjectFile load(int pid, String path) throws IOException {
    Path inProcess = Path.of("/proc/" + pid + "/root" + path);
    ElfFile elf = ElfFile.open(Files.isReadable(inProcess) ? inProcess : Path.of(path));
    String buildId = elf.buildId();
    if (!buildId.isEmpty()) {
      ObjectFile known = byBuildId.get(buildId);
      if (known != null) {
        return known.mapping().filename().equals(path)
            ? known
            : new ObjectFile(known.elf(), known.cfi(), known.symbols(), mapping(path, buildId));
      }
    }
    SymbolTable symbols = SymbolTable.of(elf);
    ElfFile debug = null;
    if (elf.section(".symtab") == null) {
      debug = debugFile(elf, inProcess, buildId);
      if (debug != null) {
        SymbolTable fromDebug = SymbolTable.of(debug);
        if (fromDebug.size() > 0) {
          symbols = fromDebug;
        }
      }
    }
    ObjectFile object = new ObjectFile(elf, EhFrame.of(elf), symbols, mapping(path, buildId));
    if (!buildId.isEmpty()) {
      byBuildId.put(buildId, object);
      DebugInfoUploader up = uploader;
      if (up != null) {
        up.offer(buildId, elf.path(), debug == null ? null : debug.path());
      }
    }
    return object;
  }

  private static Mapping mapping(String path, String buildId) {
    return buildId.isEmpty() ? Mapping.of(path) : Mapping.of(path, buildId, "gnu");
  }

  private @Nullable ElfFile debugFile(ElfFile elf, Path file, String buildId) {
    List<Path> candidates = new ArrayList<>();
    if (buildId.length() > 2) {
      candidates.add(
          debugRoot.resolve(
              ".build-id/" + buildId.substring(0, 2) + "/" + buildId.substring(2) + ".debug"));
    }
    String link = elf.debugLink();
    Path dir = file.getParent();
    if (link != null && !link.isEmpty() && dir != null) {
      candidates.add(dir.resolve(link));
      candidates.add(dir.resolve(".debug").resolve(link));
      candidates.add(Path.of(debugRoot + dir.toString()).resolve(link));
    }
    for (Path candidate : candidates) {
      if (Files.isReadable(candidate) && !candidate.equals(file)) {
        try {
          ElfFile debug = ElfFile.open(candidate);
          if (buildId.isEmpty() || debug.buildId().isEmpty() || debug.buildId().equals(buildId)) {
            return debug;
          }
        } catch (IOException | RuntimeException e) {
          // try the next candidate
        }
      }
    }
    return null;
  }

  /** How many distinct objects (by build id) are cached. */
  public int size() {
    return byBuildId.size();
  }
}
