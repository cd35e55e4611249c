package dev.hearth.storage.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Ports on 127.0.0.1, the only address the embedded ClickHouse listens on. */
final class LoopbackPorts {
  static final String HOST = "127.0.0.1";
  private static final InetAddress ADDRESS = Inet4Address.ofLiteral(HOST);

  private LoopbackPorts() {}

  /** Whether {@code port} can be bound right now; another process may take it a moment later. */
  static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(ADDRESS, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A port the kernel considers free now, chosen by it at random from the ephemeral range. */
  static int free() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(ADDRESS, 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + HOST, e);
    }
  }
}
