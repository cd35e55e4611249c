package dev.hearth.server.security;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The path a request names, as routing sees it: path parameters ({@code ;x=1}) dropped from every
 * segment, %-escapes decoded, empty segments collapsed. Access decisions use this form, never the
 * raw path.
 */
final class RequestPaths {
  private RequestPaths() {}

  /**
   * The normalised path of {@code rawPath}, or null when it cannot be trusted: a bad or non-UTF-8
   * escape, an encoded {@code /}, {@code \} or NUL, or a {@code .}/{@code ..} segment.
   */
  static @Nullable String normalise(@Nullable String rawPath) {
    if (rawPath == null || rawPath.isEmpty()) {
      return "/";
    }
    StringBuilder out = new StringBuilder();
    for (String segment : rawPath.split("/", -1)) {
      int semicolon = segment.indexOf(';');
      String s = semicolon >= 0 ? segment.substring(0, semicolon) : segment;
      if (s.isEmpty()) {
        continue;
      }
      String decoded = decode(s);
      if (decoded == null
          || decoded.equals(".")
          || decoded.equals("..")
          || decoded.indexOf('/') >= 0
          || decoded.indexOf('\\') >= 0
          || decoded.indexOf('\0') >= 0) {
        return null;
      }
      out.append('/').append(decoded);
    }
    if (out.isEmpty() || rawPath.endsWith("/")) {
      out.append('/');
    }
    return out.toString();
  }

  private static @Nullable String decode(String segment) {
    if (segment.indexOf('%') < 0) {
      return segment;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c != '%') {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
        continue;
      }
      if (i + 2 >= segment.length()) {
        return null;
      }
      int hi = Character.digit(segment.charAt(i + 1), 16);
      int lo = Character.digit(segment.charAt(i + 2), 16);
      if (hi < 0 || lo < 0) {
        return null;
      }
      bytes.write(hi << 4 | lo);
      i += 2;
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
