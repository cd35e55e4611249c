package dev.hearth.ingest.pyroscope;

import dev.hearth.ingest.IngestException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A {@code multipart/form-data} body already in memory (and within the body limit), split into its
 * named parts. Pyroscope's clients send a few parts ({@code profile}, {@code prev_profile}, {@code
 * sample_type_config}, {@code jfr}, {@code labels}); parsing them here rather than through the
 * framework's codecs keeps them under ingest's own limits, never spilled to disk.
 */
public final class Multipart {
  private static final Pattern BOUNDARY =
      Pattern.compile(";\\s*boundary=(?:\"([^\"]*)\"|([^;\\s]+))", Pattern.CASE_INSENSITIVE);

  private Multipart() {}

  /** Whether a {@code Content-Type} header value names a multipart body. */
  public static boolean isMultipart(@Nullable String contentType) {
    return contentType != null
        && contentType.strip().toLowerCase(Locale.ROOT).startsWith("multipart/");
  }

  /**
   * Part name → bytes of a body whose {@code Content-Type} is {@code contentType}; throws a 400
   * when the body is not well-formed.
   */
  public static Map<String, byte[]> parse(String contentType, byte[] body) {
    Matcher b = BOUNDARY.matcher(contentType);
    String boundary = b.find() ? (b.group(1) != null ? b.group(1) : b.group(2)) : null;
    if (boundary == null || boundary.isEmpty()) {
      throw IngestException.invalid("multipart", "multipart Content-Type has no boundary");
    }
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    Map<String, byte[]> parts = new LinkedHashMap<>();
    int pos = indexOf(body, delimiter, 0);
    if (pos < 0) {
      throw IngestException.invalid("multipart", "multipart body has no boundary line");
    }
    while (true) {
      int afterDelimiter = pos + delimiter.length;
      if (afterDelimiter + 1 < body.length
          && body[afterDelimiter] == '-'
          && body[afterDelimiter + 1] == '-') {
        return parts;
      }
      int headersStart = skipLineBreak(body, afterDelimiter);
      int headersEnd =
          indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), headersStart);
      if (headersEnd < 0) {
        throw IngestException.invalid("multipart", "multipart part has no end of headers");
      }
      String headers =
          new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8);
      int contentStart = headersEnd + 4;
      int next = indexOf(body, delimiter, contentStart);
      if (next < 0) {
        throw IngestException.invalid(
            "multipart", "multipart body ends without a closing boundary");
      }
      int contentEnd = next;
      if (contentEnd >= 2 && body[contentEnd - 2] == '\r' && body[contentEnd - 1] == '\n') {
        contentEnd -= 2;
      }
      String name = partName(headers);
      if (name != null) {
        parts.put(name, Arrays.copyOfRange(body, contentStart, Math.max(contentStart, contentEnd)));
      }
      pos = next;
    }
  }

  private static int skipLineBreak(byte[] body, int i) {
    if (i + 1 < body.length && body[i] == '\r' && body[i + 1] == '\n') {
      return i + 2;
    }
    return i;
  }

  private static final Pattern NAME =
      Pattern.compile("(?:^|[;\\s])name=(?:\"([^\"]*)\"|([^;\\s]+))", Pattern.CASE_INSENSITIVE);

  private static @Nullable String partName(String headers) {
    for (String line : headers.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase("content-disposition")) {
        Matcher m = NAME.matcher(line.substring(colon + 1));
        if (m.find()) {
          return m.group(1) != null ? m.group(1) : m.group(2);
        }
      }
    }
    return null;
  }

  static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
