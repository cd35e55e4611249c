package dev.hearth.storage.embedded;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The child process of {@link EmbeddedClickHouse}: loads {@code libchdb.so} and runs
 * clickhouse-local inside this JVM until standard input closes.
 *
 * <p>Arguments: the path of {@code libchdb.so}, then clickhouse-local's arguments without the
 * program name. The last of those is a query that starts the HTTP listener and then never ends, so
 * {@code chdb_query_cmdline} returning at all means the engine failed; the process then exits with
 * status 1 after printing chDB's error. At end of standard input it halts with status 0, so it
 * lives exactly as long as its parent holds the pipe. It needs {@code
 * --enable-native-access=ALL-UNNAMED}.
 */
public final class EmbeddedClickHouseMain {
  private EmbeddedClickHouseMain() {}

  public static void main(String[] args) {
    if (args.length < 1) {
      System.err.println(
          "usage: EmbeddedClickHouseMain /path/to/libchdb.so [clickhouse-local arguments...]");
      Runtime.getRuntime().halt(2);
    }
    haltWhenStdinCloses();
    try {
      String error = run(Path.of(args[0]), Arrays.copyOfRange(args, 1, args.length));
      System.err.println("embedded ClickHouse stopped serving: " + error);
    } catch (Throwable t) {
      System.err.println("embedded ClickHouse failed to start: " + t);
      t.printStackTrace();
    }
    System.err.flush();
    // halt, not exit: libchdb's static destructors may block on its own threads.
    Runtime.getRuntime().halt(1);
  }

  private static void haltWhenStdinCloses() {
    Thread.ofPlatform()
        .daemon()
        .name("stdin-watch")
        .start(
            () -> {
              byte[] buffer = new byte[256];
              try (InputStream in = System.in) {
                while (in.read(buffer) >= 0) {
                  // The parent sends nothing; only the end of the stream matters.
                }
              } catch (IOException e) {
                // The pipe broke: the parent is gone, which is the same signal.
              }
              Runtime.getRuntime().halt(0);
            });
  }

  /**
   * Calls {@code chdb_result* chdb_query_cmdline(int argc, char** argv)} with {@code "clickhouse"}
   * prepended to {@code clickhouseArgs}; returns only if that call returns, with chDB's error text.
   */
  static String run(Path library, String[] clickhouseArgs) throws Throwable {
    Linker linker = Linker.nativeLinker();
    Arena arena = Arena.global();
    SymbolLookup chdb = SymbolLookup.libraryLookup(library, arena);
    MethodHandle setSignalHandlersEnabled =
        linker.downcallHandle(
            chdb.findOrThrow("chdb_set_signal_handlers_enabled"),
            FunctionDescriptor.ofVoid(JAVA_INT));
    MethodHandle queryCmdline =
        linker.downcallHandle(
            chdb.findOrThrow("chdb_query_cmdline"),
            FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS));
    MethodHandle resultError =
        linker.downcallHandle(
            chdb.findOrThrow("chdb_result_error"), FunctionDescriptor.of(ADDRESS, ADDRESS));

    // Otherwise chDB installs its own SIGSEGV/SIGBUS/SIGILL/SIGFPE handlers over HotSpot's, which
    // the JVM needs (implicit null checks, safepoint polls); and a crash in the engine would sleep
    // in chDB's handler instead of ending the process at once with an hs_err file.
    setSignalHandlersEnabled.invokeExact(0);

    String[] argv = new String[clickhouseArgs.length + 1];
    argv[0] = "clickhouse";
    System.arraycopy(clickhouseArgs, 0, argv, 1, clickhouseArgs.length);
    // NULL-terminated, like main's argv.
    MemorySegment argvSegment = arena.allocate(ADDRESS, argv.length + 1);
    for (int i = 0; i < argv.length; i++) {
      argvSegment.setAtIndex(ADDRESS, i, arena.allocateFrom(argv[i]));
    }
    argvSegment.setAtIndex(ADDRESS, argv.length, MemorySegment.NULL);

    MemorySegment result = (MemorySegment) queryCmdline.invokeExact(argv.length, argvSegment);
    if (result.equals(MemorySegment.NULL)) {
      return "chdb_query_cmdline returned no result";
    }
    MemorySegment error = (MemorySegment) resultError.invokeExact(result);
    return error.equals(MemorySegment.NULL)
        ? "chdb_query_cmdline returned without an error message (see the lines above)"
        : error.reinterpret(Long.MAX_VALUE).getString(0);
  }
}
