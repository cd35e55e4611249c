package dev.hearth.server.ingest;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** Plain HTTP requests as the real clients send them, with the test tenant's bearer token. */
final class IngestClient {
  static final String TOKEN = "ingest-it-token-0123456789";
  static final String TENANT = "team-a";

  private final HttpClient http = HttpClient.newHttpClient();
  private final int port;

  IngestClient(int port) {
    this.port = port;
  }

  HttpResponse<String> post(String pathAndQuery, String contentType, byte[] body) throws Exception {
    return post(pathAndQuery, contentType, body, Map.of());
  }

  HttpResponse<String> post(
      String pathAndQuery, String contentType, byte[] body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (!headers.containsKey("Authorization")) {
      b.header("Authorization", "Bearer " + TOKEN);
    }
    headers.forEach(
        (k, v) -> {
          if (!v.isEmpty()) {
            b.header(k, v);
          }
        });
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** GET with the token: with tokens set, {@code /metrics} needs one too. */
  HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer " + TOKEN)
            .timeout(Duration.ofSeconds(20))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static final String BOUNDARY = "hearth-it-boundary-7d2f";

  static String multipartType() {
    return "multipart/form-data; boundary=" + BOUNDARY;
  }

  /** A multipart/form-data body as Pyroscope's clients write it. */
  static byte[] multipart(Map<String, byte[]> parts) {
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
}
