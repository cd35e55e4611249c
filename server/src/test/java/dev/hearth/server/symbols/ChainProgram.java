package dev.hearth.server.symbols;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A C program {@code main → a → b → hot} (with {@code spin} inlined into {@code hot}) built with
 * {@code gcc -g}, its debug info split off with {@code objcopy --only-keep-debug} and the binary
 * stripped, as a distribution ships it. The frames' addresses and their expected source lines come
 * from binutils ({@code objdump}, {@code addr2line}), not from the llvm-symbolizer under test.
 *
 * @param binary the unstripped binary
 * @param debug the debug file ({@code --only-keep-debug})
 * @param stripped the stripped binary (what runs on a production host)
 * @param frames leaf first: hot (inside the inlined spin), b, a, main, by function
 */
record ChainProgram(
    String variant,
    Path binary,
    Path debug,
    Path stripped,
    String buildId,
    Map<String, Frame> frames) {

  /**
   * @param address file offset of the instruction (GNU ld lays text out at vaddr = offset)
   * @param names innermost first, as addr2line -i names them
   * @param line source line of the outermost function at the address
   */
  record Frame(long address, List<String> names, long line) {}

  static final String SOURCE =
      """
      #include <stdio.h>
      static volatile unsigned long sink;
      static const char *variant = VARIANT;
      static inline __attribute__((always_inline)) void spin(unsigned long n) {
        for (unsigned long i = 0; i < n; i++)
          sink += i * 7;
      }
      __attribute__((noinline)) void hot(unsigned long n) {
        spin(n);
        sink ^= n;
      }
      __attribute__((noinline)) void b(unsigned long n) {
        hot(n);
        sink++;
      }
      __attribute__((noinline)) void a(unsigned long n) {
        b(n);
        sink++;
      }
      int main(int argc, char **argv) {
        a(argc > 1 ? 1000000000UL : 1000UL);
        printf("%s %lu\\n", variant, sink);
        return 0;
      }
      """;

  static ChainProgram build(Path dir, String variant) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path source = dir.resolve("chain-" + variant + ".c");
    Files.writeString(source, SOURCE);
    Path binary = dir.resolve("chain-" + variant);
    Path debug = dir.resolve("chain-" + variant + ".debug");
    Path stripped = dir.resolve("chain-" + variant + ".stripped");
    run(
        "gcc",
        "-g",
        "-O1",
        "-DVARIANT=\"" + variant + "\"",
        "-o",
        binary.toString(),
        source.toString());
    run("objcopy", "--only-keep-debug", binary.toString(), debug.toString());
    run("strip", "--strip-all", "-o", stripped.toString(), binary.toString());
    String notes = run("readelf", "-n", stripped.toString());
    Matcher m = Pattern.compile("Build ID: ([0-9a-f]+)").matcher(notes);
    if (!m.find()) {
      throw new IllegalStateException("no build id in " + stripped + ":\n" + notes);
    }
    Map<String, Frame> frames = new LinkedHashMap<>();
    Map<String, Long> calls = calls(run("objdump", "-d", "--no-show-raw-insn", binary.toString()));
    for (String[] callerCallee : new String[][] {{"b", "hot"}, {"a", "b"}, {"main", "a"}}) {
      Long at = calls.get(callerCallee[0] + "->" + callerCallee[1]);
      if (at == null) {
        throw new IllegalStateException("no call " + callerCallee[0] + "→" + callerCallee[1]);
      }
      frames.put(callerCallee[0], frame(binary, at));
    }
    // The leaf: the first address in hot that binutils says is inside the inlined spin.
    long hot = symbol(run("nm", binary.toString()), "hot");
    for (long a = hot; a < hot + 64; a++) {
      Frame f = frame(binary, a);
      if (f.names().equals(List.of("spin", "hot"))) {
        frames.put("hot", f);
        break;
      }
    }
    if (!frames.containsKey("hot")) {
      throw new IllegalStateException("addr2line finds no inlined spin in hot");
    }
    Map<String, Frame> leafFirst = new LinkedHashMap<>();
    for (String f : List.of("hot", "b", "a", "main")) {
      leafFirst.put(f, frames.get(f));
    }
    return new ChainProgram(variant, binary, debug, stripped, m.group(1), leafFirst);
  }

  private static Map<String, Long> calls(String disassembly) {
    Map<String, Long> out = new LinkedHashMap<>();
    Pattern function = Pattern.compile("^[0-9a-f]+ <([^>]+)>:$");
    Pattern call = Pattern.compile("^\\s*([0-9a-f]+):\\s+call\\s+[0-9a-f]+ <([^>+]+)>");
    String current = "";
    for (String line : disassembly.split("\n")) {
      Matcher f = function.matcher(line);
      if (f.matches()) {
        current = f.group(1);
        continue;
      }
      Matcher c = call.matcher(line);
      if (c.find()) {
        out.putIfAbsent(current + "->" + c.group(2), Long.parseLong(c.group(1), 16));
      }
    }
    return out;
  }

  private static long symbol(String nm, String name) {
    for (String line : nm.split("\n")) {
      String[] cols = line.trim().split("\\s+");
      if (cols.length == 3 && cols[2].equals(name)) {
        return Long.parseLong(cols[0], 16);
      }
    }
    throw new IllegalStateException("nm has no " + name);
  }

  /** addr2line -f -i: function/file:line pairs, innermost first. */
  private static Frame frame(Path binary, long address) throws IOException, InterruptedException {
    String out =
        run("addr2line", "-f", "-i", "-e", binary.toString(), "0x" + Long.toHexString(address));
    String[] lines = out.strip().split("\n");
    List<String> names = new ArrayList<>();
    long line = 0;
    for (int i = 0; i + 1 < lines.length; i += 2) {
      names.add(lines[i].strip());
      String where = lines[i + 1].strip();
      String number = where.substring(where.lastIndexOf(':') + 1).split("\\s")[0];
      line = number.equals("?") ? 0 : Long.parseLong(number);
    }
    return new Frame(address, List.copyOf(names), line);
  }

  static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
    }
    return out;
  }
}
