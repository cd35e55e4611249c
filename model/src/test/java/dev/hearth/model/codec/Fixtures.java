package dev.hearth.model.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The real profiles in {@code src/test/resources/fixtures/} (see the README there). */
public final class Fixtures {
  private Fixtures() {}

  public static byte[] bytes(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name)) {
      if (in == null) {
        throw new IllegalStateException(
            "fixture " + name + " is missing; run scripts/fixtures/make-fixtures.sh");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
