package dev.hearth.ingest.pyroscope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.ingest.IngestException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MultipartTest {
  static final String BOUNDARY = "hearth-test-boundary";
  static final String TYPE = "multipart/form-data; boundary=\"" + BOUNDARY + "\"";

  /** A multipart/form-data body as Pyroscope's clients write it. */
  static byte[] body(Map<String, byte[]> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    parts.forEach(
        (name, bytes) -> {
          out.writeBytes(
              ("--"
                      + BOUNDARY
                      + "\r\nContent-Disposition: form-data; name=\""
                      + name
                      + "\"; filename=\""
                      + name
                      + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                  .getBytes(StandardCharsets.UTF_8));
          out.writeBytes(bytes);
          out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        });
    out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  @Test
  void splitsNamedPartsKeepingBinaryBytes() {
    Map<String, byte[]> parts = new LinkedHashMap<>();
    parts.put("profile", new byte[] {0x1f, (byte) 0x8b, 0x0d, 0x0a, 0x2d, 0x2d});
    parts.put("sample_type_config", "{}".getBytes(StandardCharsets.UTF_8));
    byte[] body = body(parts);

    Map<String, byte[]> read = Multipart.parse(TYPE, body);

    assertThat(read).containsOnlyKeys("profile", "sample_type_config");
    assertThat(read.get("profile")).isEqualTo(parts.get("profile"));
    assertThat(read.get("sample_type_config")).isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void detectsMultipartContentTypes() {
    assertThat(Multipart.isMultipart("Multipart/Form-Data; boundary=x")).isTrue();
    assertThat(Multipart.isMultipart("application/octet-stream")).isFalse();
    assertThat(Multipart.isMultipart(null)).isFalse();
  }

  @Test
  void nameIsNotTakenFromFilename() {
    byte[] body =
        ("--b\r\nContent-Disposition: form-data; filename=\"x.jfr\"; name=\"jfr\"\r\n\r\n"
                + "data\r\n--b--\r\n")
            .getBytes(StandardCharsets.UTF_8);
    assertThat(Multipart.parse("multipart/form-data; boundary=b", body)).containsOnlyKeys("jfr");
  }

  @Test
  void aBodyWithoutItsClosingBoundaryIsRefused() {
    byte[] body =
        "--b\r\nContent-Disposition: form-data; name=\"jfr\"\r\n\r\ndata"
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> Multipart.parse("multipart/form-data; boundary=b", body))
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("closing boundary");
  }
}
