package dev.hearth.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.ingest.IngestException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

class MultipartTest {

  @Test
  void splitsNamedPartsKeepingBinaryBytes() {
    Map<String, byte[]> parts = new LinkedHashMap<>();
    parts.put("profile", new byte[] {0x1f, (byte) 0x8b, 0x0d, 0x0a, 0x2d, 0x2d});
    parts.put("sample_type_config", "{}".getBytes(StandardCharsets.UTF_8));
    byte[] body = IngestClient.multipart(parts);

    Map<String, byte[]> read =
        Multipart.parse(MediaType.parseMediaType(IngestClient.multipartType()), body);

    assertThat(read).containsOnlyKeys("profile", "sample_type_config");
    assertThat(read.get("profile")).isEqualTo(parts.get("profile"));
    assertThat(read.get("sample_type_config")).isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void nameIsNotTakenFromFilename() {
    byte[] body =
        ("--b\r\nContent-Disposition: form-data; filename=\"x.jfr\"; name=\"jfr\"\r\n\r\n"
                + "data\r\n--b--\r\n")
            .getBytes(StandardCharsets.UTF_8);
    assertThat(Multipart.parse(MediaType.parseMediaType("multipart/form-data; boundary=b"), body))
        .containsOnlyKeys("jfr");
  }

  @Test
  void aBodyWithoutItsClosingBoundaryIsRefused() {
    byte[] body =
        "--b\r\nContent-Disposition: form-data; name=\"jfr\"\r\n\r\ndata"
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(
            () ->
                Multipart.parse(MediaType.parseMediaType("multipart/form-data; boundary=b"), body))
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("closing boundary");
  }
}
