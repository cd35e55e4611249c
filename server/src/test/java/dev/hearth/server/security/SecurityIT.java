package dev.hearth.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.server.storage.StorageConfiguration;
import dev.hearth.storage.embedded.EmbeddedClickHouse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Issue 16's findings 1, 2, 4 and 7 against the server as users run it, with tokens set: each
 * request below got through before (or stopped the engine); each must now be refused.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SecurityIT {
  private static final String TOKEN = "s3cr3t-token-for-security-it";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final int GRPC_PORT = freePort();

  private static int freePort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    Path dataDir = Path.of("target", "it-data-" + UUID.randomUUID()).toAbsolutePath();
    registry.add("clickhouse.data-dir", dataDir::toString);
    registry.add("spring.grpc.server.port", () -> Integer.toString(GRPC_PORT));
    registry.add("hearth.auth.tokens." + TOKEN, () -> "team-a");
  }

  @LocalServerPort int port;
  @Autowired StorageConfiguration.Engine engine;

  private HttpResponse<String> send(String method, String uri, @Nullable String token, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(uri))
            .timeout(Duration.ofSeconds(30))
            .method(method, HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String base() {
    return "http://127.0.0.1:" + port;
  }

  @Test
  void encodedOrParameterisedPathsNeedATokenLikeThePlainOnes() throws Exception {
    for (String path :
        new String[] {
          "/%61pi/v1/label-values?name=service_name",
          "/api;x=1/v1/label-values?name=service_name",
          "/api/v1/label-values?name=service_name",
          "/%69ngest?name=x",
          "/not-a-route",
        }) {
      String method = path.contains("ngest") ? "POST" : "GET";
      HttpResponse<String> r = send(method, base() + path, null, "main;a 1\n");
      assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(401);
    }
    assertThat(send("GET", base() + "/health/../api/v1/labels", null, "").statusCode())
        .isIn(400, 401);
    HttpResponse<String> ok =
        send("GET", base() + "/%61pi/v1/label-values?name=service_name", TOKEN, "");
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
  }

  @Test
  void refusalsCarryTheOneApiErrorBody() throws Exception {
    ObjectMapper json = new ObjectMapper();
    HttpResponse<String> none = send("GET", base() + "/api/v1/labels", null, "");
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("Content-Type")).contains("application/json");
    JsonNode body = json.readTree(none.body());
    assertThat(body.path("code").asString()).as(none.body()).isEqualTo("unauthenticated");
    assertThat(body.path("error").asString()).isEqualTo("unauthenticated");
    assertThat(body.path("message").asString())
        .isEqualTo("a bearer token is required (Authorization: Bearer <token>)");
    // Connect clients (Alloy, the SDKs' push) read code/message from the same body.
    HttpResponse<String> wrong =
        send("POST", base() + "/push.v1.PusherService/Push", "not-the-token", "");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(json.readTree(wrong.body()).path("message").asString())
        .isEqualTo("the bearer token is not valid");
    HttpResponse<String> badPath = send("GET", base() + "/api/v1/%2e%2e/labels", TOKEN, "");
    assertThat(badPath.statusCode()).isEqualTo(400);
    JsonNode bad = json.readTree(badPath.body());
    assertThat(bad.path("code").asString()).as(badPath.body()).isEqualTo("invalid_argument");
    assertThat(bad.path("parameter").asString()).isEqualTo("path");
  }

  @Test
  void metricsNeedATokenWhileTokensAreSetAndHealthDoesNot() throws Exception {
    assertThat(send("GET", base() + "/metrics", null, "").statusCode()).isEqualTo(401);
    assertThat(send("GET", base() + "/metrics", TOKEN, "").statusCode()).isEqualTo(200);
    assertThat(send("GET", base() + "/health", null, "").statusCode()).isEqualTo(200);
  }

  @Test
  void theUiIsServedWithBrowserHardeningHeaders() throws Exception {
    HttpResponse<String> r = send("GET", base() + "/", null, "");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Security-Policy").orElse(""))
        .contains("default-src 'self'")
        .contains("frame-ancestors 'none'")
        .contains("'sha256-");
    assertThat(r.headers().firstValue("X-Frame-Options")).contains("DENY");
    assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
  }

  @Test
  void grpcReflectionNeedsATokenWhileTokensAreSet() throws Exception {
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", GRPC_PORT).usePlaintext().build();
    try {
      assertThat(listServices(channel, null).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(listServices(channel, TOKEN).getCode()).isEqualTo(Status.Code.OK);
    } finally {
      channel.shutdownNow();
    }
  }

  private static Status listServices(ManagedChannel channel, @Nullable String token)
      throws Exception {
    var stub = ServerReflectionGrpc.newStub(channel);
    if (token != null) {
      Metadata md = new Metadata();
      md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
      stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    }
    CompletableFuture<Status> done = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        stub.serverReflectionInfo(
            new StreamObserver<ServerReflectionResponse>() {
              @Override
              public void onNext(ServerReflectionResponse value) {}

              @Override
              public void onError(Throwable t) {
                done.complete(Status.fromThrowable(t));
              }

              @Override
              public void onCompleted() {
                done.complete(Status.OK);
              }
            });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
    requests.onCompleted();
    return done.get(20, TimeUnit.SECONDS);
  }

  /** Finding 1: a loop of {@code SYSTEM STOP LISTEN} without credentials leaves storage up. */
  @Test
  void theEngineStaysUpUnderALoopOfStopListenWithoutCredentials() throws Exception {
    EmbeddedClickHouse ch = engine.embedded();
    assertThat(ch).isNotNull();
    long pid = ch.pid();
    for (int i = 0; i < 50; i++) {
      HttpResponse<String> r = send("POST", ch.httpUrl() + "/", null, "SYSTEM STOP LISTEN HTTP");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    }
    HttpResponse<String> greedy =
        send(
            "POST",
            ch.httpUrl() + "/",
            null,
            "SELECT length(groupArray(number)) FROM numbers(200000000)");
    assertThat(greedy.statusCode()).isEqualTo(403);
    HttpResponse<String> health = send("GET", base() + "/health", null, "");
    assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
    assertThat(health.body()).contains("\"restarts\":0");
    assertThat(ch.pid()).isEqualTo(pid);
    assertThat(send("GET", base() + "/api/v1/profile-types", TOKEN, "").statusCode())
        .isEqualTo(200);
  }

  /** Finding 5: a time that overflows and regexes RE2 refuses are the client's 400, not 500. */
  @Test
  void overflowingTimesAndRegexesRe2RefusesAre400NamingTheParameter() throws Exception {
    String cpu = "process_cpu:cpu:nanoseconds:cpu:nanoseconds";
    HttpResponse<String> time =
        send(
            "GET",
            base() + "/api/v1/flamegraph?query=" + enc(cpu + "{}") + "&from=now-100000000d",
            TOKEN,
            "");
    assertThat(time.statusCode()).as(time.body()).isEqualTo(400);
    assertThat(time.body()).contains("from");
    for (String re : new String[] {"(?=a)", "(a)\\\\1", "a{1000}{1000}"}) {
      HttpResponse<String> r =
          send(
              "GET",
              base()
                  + "/api/v1/flamegraph?from=now-1h&query="
                  + enc(cpu + "{service_name=~\"" + re + "\"}"),
              TOKEN,
              "");
      assertThat(r.statusCode()).as(re + ": " + r.body()).isEqualTo(400);
      assertThat(r.body()).contains("query").contains("RE2");
    }
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }
}
