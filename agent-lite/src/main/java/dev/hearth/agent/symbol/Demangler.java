package dev.hearth.agent.symbol;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns Itanium C++ symbol names ({@code _ZN11SymbolTable9do_lookupEPKcim}) into what people read
 * ({@code SymbolTable::do_lookup(char const*, int, unsigned long)}) through one long-running GNU
 * {@code c++filt} (binutils), which answers line by line; results are cached, so each symbol costs
 * one round trip once. Without {@code c++filt}, or if it dies, names stay mangled: symbolisation
 * never fails for want of a demangler. Thread-safe.
 */
public final class Demangler implements AutoCloseable {
  private static final int CACHE_SIZE = 50_000;

  private final Map<String, String> cache =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > CACHE_SIZE;
        }
      };
  private @Nullable Process process;
  private @Nullable OutputStream in;
  private @Nullable BufferedReader out;
  private boolean unavailable;

  /** Whether {@code name} looks like an Itanium-mangled C++ symbol. */
  public static boolean isMangled(String name) {
    return name.startsWith("_Z") && name.length() > 2;
  }

  /** The readable form of {@code name}, or {@code name} itself when it is not mangled. */
  public synchronized String demangle(String name) {
    if (!isMangled(name) || unavailable || name.indexOf('\n') >= 0) {
      return name;
    }
    String cached = cache.get(name);
    if (cached != null) {
      return cached;
    }
    String readable = ask(name);
    cache.put(name, readable);
    return readable;
  }

  private String ask(String name) {
    try {
      if (process == null) {
        Process p =
            new ProcessBuilder("c++filt").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        process = p;
        in = p.getOutputStream();
        out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      }
      OutputStream w = in;
      BufferedReader r = out;
      if (w == null || r == null) {
        return name;
      }
      w.write((name + "\n").getBytes(StandardCharsets.UTF_8));
      w.flush();
      String line = r.readLine();
      if (line == null) {
        throw new IOException("c++filt exited");
      }
      return line.isBlank() ? name : line;
    } catch (IOException e) {
      unavailable = true;
      close();
      return name;
    }
  }

  @Override
  public synchronized void close() {
    Process p = process;
    process = null;
    in = null;
    out = null;
    if (p != null) {
      p.destroy();
    }
  }
}
