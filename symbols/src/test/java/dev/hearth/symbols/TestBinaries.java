package dev.hearth.symbols;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A small C program built with {@code gcc -g}, split into debug file and stripped binary. */
record TestBinaries(Path binary, Path debug, Path stripped, String buildId, long hot) {
  static TestBinaries build(Path dir) throws IOException, InterruptedException {
    Path c = dir.resolve("t.c");
    Files.writeString(
        c,
        """
        volatile int sink;
        __attribute__((noinline)) void hot(void) { for (int i = 0; i < 100; i++) sink += i; }
        int main(void) { hot(); return 0; }
        """);
    Path binary = dir.resolve("t");
    run("gcc", "-g", "-O1", "-o", binary.toString(), c.toString());
    Path debug = dir.resolve("t.debug");
    run("objcopy", "--only-keep-debug", binary.toString(), debug.toString());
    Path stripped = dir.resolve("t.stripped");
    run("strip", "--strip-all", "-o", stripped.toString(), binary.toString());
    Matcher m =
        Pattern.compile("Build ID: ([0-9a-f]+)").matcher(run("readelf", "-n", binary.toString()));
    if (!m.find()) {
      throw new IllegalStateException("no build id");
    }
    long hot = -1;
    for (String line : run("nm", binary.toString()).split("\n")) {
      String[] cols = line.trim().split("\\s+");
      if (cols.length == 3 && cols[2].equals("hot")) {
        hot = Long.parseLong(cols[0], 16);
      }
    }
    return new TestBinaries(binary, debug, stripped, m.group(1), hot);
  }

  static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
    return out;
  }
}
