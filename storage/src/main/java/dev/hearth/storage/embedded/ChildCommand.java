package dev.hearth.storage.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of the child: this JVM's {@code java} running {@link EmbeddedClickHouseMain}.
 */
final class ChildCommand {
  /**
   * clickhouse-local serves HTTP only while a query runs, so the child starts the listener and then
   * runs a query that never ends (one row a second, discarded). Both run as user {@code default},
   * which is why that user holds exactly these two grants; the endless query lifts the time limit
   * of {@code default}'s profile for itself.
   */
  static final String SERVE_FOREVER =
      "SYSTEM START LISTEN HTTP; "
          + "SELECT sleepEachRow(1) FROM system.numbers"
          + " SETTINGS max_block_size=1, max_execution_time=0 FORMAT Null";

  /** As {@link #SERVE_FOREVER}, also serving the native TCP protocol (cluster nodes). */
  static final String SERVE_FOREVER_WITH_TCP = "SYSTEM START LISTEN TCP; " + SERVE_FOREVER;

  private ChildCommand() {}

  /**
   * @param library {@code libchdb.so}
   * @param config {@code config.xml}, see {@link EmbeddedConfigFiles}
   * @param clickhouseDir ClickHouse's {@code --path}
   * @param runtimeDir where a JVM crash report goes
   */
  static List<String> of(
      Path library, Path config, Path clickhouseDir, int httpPort, Path runtimeDir) {
    return of(library, config, clickhouseDir, httpPort, 0, runtimeDir);
  }

  /**
   * As above, also serving the native TCP protocol on {@code tcpPort} unless it is 0.
   *
   * @param tcpPort native protocol port, 0 for none
   */
  static List<String> of(
      Path library, Path config, Path clickhouseDir, int httpPort, int tcpPort, Path runtimeDir) {
    List<String> command = new ArrayList<>();
    // Through a shell only to set the umask: every file the engine creates is the owner's alone.
    command.addAll(List.of("/bin/sh", "-c", "umask 077 && exec \"$0\" \"$@\""));
    command.add(javaBinary());
    command.addAll(
        List.of(
            "--enable-native-access=ALL-UNNAMED",
            // The child's Java side only waits; keep its heap and JIT small.
            "-XX:+UseSerialGC",
            "-Xmx64m",
            "-XX:TieredStopAtLevel=1",
            "-XX:-UsePerfData",
            "-XX:ErrorFile=" + runtimeDir.resolve("hs_err_pid%p.log"),
            "-cp",
            classpath(runtimeDir),
            EmbeddedClickHouseMain.class.getName(),
            library.toString()));
    command.addAll(clickhouseArguments(config, clickhouseDir, httpPort, tcpPort));
    return command;
  }

  /** clickhouse-local's arguments, after the program name. */
  static List<String> clickhouseArguments(Path config, Path clickhouseDir, int httpPort) {
    return clickhouseArguments(config, clickhouseDir, httpPort, 0);
  }

  /** clickhouse-local's arguments, with a native TCP listener on {@code tcpPort} unless 0. */
  static List<String> clickhouseArguments(
      Path config, Path clickhouseDir, int httpPort, int tcpPort) {
    return List.of(
        "--config-file=" + config,
        "--path=" + clickhouseDir + "/",
        "--http_port=" + httpPort,
        "--tcp_port=" + tcpPort,
        "--listen_host=" + LoopbackPorts.HOST,
        // Warnings and errors go to standard error, which is the log file. Without these two
        // flags clickhouse-local logs nothing; the level of a <logger> in config.xml is ignored.
        "--log-level=warning",
        "--logger.console=1",
        "--multiquery",
        "--query=" + (tcpPort == 0 ? SERVE_FOREVER : SERVE_FOREVER_WITH_TCP));
  }

  private static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /**
   * Just the jar or directory holding this package (the child needs nothing else). Inside a Spring
   * Boot fat jar the class sits in a nested jar no plain {@code -cp} can name, so its one class
   * file (it uses only the JDK) is copied into {@code runtimeDir/child-classes} and that is the
   * class path.
   */
  private static String classpath(Path runtimeDir) {
    CodeSource source = EmbeddedClickHouseMain.class.getProtectionDomain().getCodeSource();
    if (source != null && "file".equals(source.getLocation().getProtocol())) {
      try {
        return Path.of(source.getLocation().toURI()).toString();
      } catch (URISyntaxException | IllegalArgumentException e) {
        // Fall through to copying the class out.
      }
    }
    Path classes = runtimeDir.resolve("child-classes");
    String resource = EmbeddedClickHouseMain.class.getName().replace('.', '/') + ".class";
    Path target = classes.resolve(resource);
    try (InputStream in =
        EmbeddedClickHouseMain.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new EmbeddedClickHouseException(
            "cannot find " + resource + " to start the embedded ClickHouse");
      }
      Files.createDirectories(target.getParent());
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new EmbeddedClickHouseException(
          "cannot copy " + resource + " to " + classes + ": " + e, e);
    }
    return classes.toString();
  }
}
