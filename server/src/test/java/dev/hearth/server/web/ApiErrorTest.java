package dev.hearth.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.RetryInfo;
import dev.hearth.ingest.IngestException;
import dev.hearth.query.InvalidQueryException;
import dev.hearth.query.QueryLimitException;
import dev.hearth.storage.StorageException;
import dev.hearth.storage.StorageUnavailableException;
import dev.hearth.storage.StorageUnavailableException.Reason;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** One classification per failure, and its status on every protocol. */
class ApiErrorTest {
  private static final ObjectMapper json = new ObjectMapper();

  static JsonNode body(ApiError e) {
    return json.readTree(new String(e.json(), StandardCharsets.UTF_8));
  }

  @Test
  void badInputIs400InvalidArgumentNamingTheField() {
    ApiError e = ApiError.of(new InvalidQueryException("label_selector", 7, "expected '='"), "t");
    assertThat(e.kind().httpStatus()).isEqualTo(400);
    assertThat(e.kind().connectHttpStatus()).isEqualTo(400);
    assertThat(e.grpc().getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    JsonNode b = body(e);
    assertThat(b.get("code").asString()).isEqualTo("invalid_argument");
    assertThat(b.get("parameter").asString()).isEqualTo("label_selector");
    assertThat(b.get("column").asInt()).isEqualTo(7);
    assertThat(e.retryAfterSeconds()).isZero();
  }

  @Test
  void overloadIs429AndStorageTroubleIs503BothWithRetryAfter() {
    ApiError overload =
        ApiError.of(
            new IngestException(IngestException.Kind.OVERLOADED, "in_flight", "too much"), "t");
    assertThat(overload.kind().httpStatus()).isEqualTo(429);
    assertThat(overload.retryAfterSeconds()).isPositive();
    assertThat(overload.grpc().getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);

    for (Reason reason : Reason.values()) {
      ApiError e =
          ApiError.of(
              new StorageUnavailableException(reason, "ClickHouse at http://10.0.0.1 said x", null),
              "t");
      assertThat(e.kind().httpStatus()).isEqualTo(503);
      assertThat(e.kind().connectHttpStatus()).isEqualTo(503);
      assertThat(e.retryAfterSeconds()).isEqualTo(reason.retryAfterSeconds()).isPositive();
      assertThat(body(e).get("code").asString()).isEqualTo("unavailable");
      assertThat(body(e).get("error").asString()).isEqualTo(reason.tag());
      // The engine's address and message stay in the log.
      assertThat(e.message()).doesNotContain("10.0.0.1");
      StatusRuntimeException grpc = e.grpc();
      assertThat(grpc.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(
              StatusProto.fromThrowable(grpc).getDetailsList().stream()
                  .anyMatch(d -> d.is(RetryInfo.class)))
          .isTrue();
    }
    assertThat(
            ApiError.of(new StorageUnavailableException(Reason.DISK_FULL, "x", null), "t")
                .message())
        .contains("disk is full");
  }

  @Test
  void internalFailuresSayNothingInternal() {
    ApiError storage =
        ApiError.of(new StorageException("ClickHouse failed: Code: 60. secret_table", null), "t");
    ApiError npe = ApiError.of(new NullPointerException("field x of dev.hearth.Foo"), "t");
    for (ApiError e : new ApiError[] {storage, npe}) {
      assertThat(e.kind().httpStatus()).isEqualTo(500);
      assertThat(e.grpc().getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
      String text = new String(e.json(), StandardCharsets.UTF_8);
      assertThat(text).doesNotContain("secret_table", "Foo", "Code: 60");
      assertThat(e.grpc().getStatus().getDescription()).doesNotContain("secret_table", "Foo");
    }
  }

  @Test
  void aQueryOverTheLimitsNamesTheLimit() {
    ApiError e =
        ApiError.of(new QueryLimitException("hearth.query.max-stacks", "too many stacks"), "t");
    assertThat(e.kind().httpStatus()).isEqualTo(422);
    assertThat(e.kind().connectCode()).isEqualTo("resource_exhausted");
    assertThat(body(e).get("limit").asString()).isEqualTo("hearth.query.max-stacks");
  }
}
