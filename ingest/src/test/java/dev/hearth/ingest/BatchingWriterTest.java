package dev.hearth.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.model.LabelSet;
import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Sample;
import dev.hearth.model.Stack;
import dev.hearth.model.Temporality;
import dev.hearth.storage.StorageUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;

class BatchingWriterTest {
  private final RecordingWriter writer = new RecordingWriter();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  private static List<Profile> profile(String service) {
    return List.of(
        new Profile(
            ProfileType.CPU,
            LabelSet.of("service_name", service),
            1,
            0,
            0,
            Temporality.DELTA,
            List.of(Sample.of(Stack.ofFunctionNamesRootFirst(List.of("main", service)), 1, 1))));
  }

  @Test
  void requestsArrivingWhileTheWritesAreInFlightShareTheNextWrite() {
    BatchingWriter batches = new BatchingWriter(writer, 100_000, 1, Duration.ofMinutes(1), timer);
    Sinks.Empty<Void> gate = Sinks.empty();
    writer.gate = gate.asMono();
    CompletableFuture<Void> first = batches.submit("t", profile("x")).toFuture();
    writer.gate = reactor.core.publisher.Mono.empty();
    CompletableFuture<Void> a = batches.submit("t", profile("a")).toFuture();
    CompletableFuture<Void> b = batches.submit("t", profile("b")).toFuture();
    assertThat(writer.batches).isEmpty();
    assertThat(a).isNotDone();

    gate.tryEmitEmpty();
    CompletableFuture.allOf(first, a, b).join();
    assertThat(writer.batches).hasSize(2);
    assertThat(writer.batches.get(0).profiles()).hasSize(1);
    assertThat(writer.batches.get(1).profiles()).hasSize(2);
  }

  @Test
  void aBatchWaitingLongerThanTheDelayIsWrittenAnyway() {
    BatchingWriter batches = new BatchingWriter(writer, 100_000, 1, Duration.ofMillis(50), timer);
    writer.gate = Sinks.<Void>empty().asMono();
    batches.submit("t", profile("x")).subscribe();
    writer.gate = reactor.core.publisher.Mono.empty();
    batches.submit("t", profile("a")).block(Duration.ofSeconds(10));
    assertThat(writer.batches).hasSize(1);
    assertThat(writer.batches.getFirst().profiles()).hasSize(1);
  }

  @Test
  void aFailedWriteFailsEveryRequestInItAndTheNextBatchStillGoes() {
    BatchingWriter batches = new BatchingWriter(writer, 100_000, 1, Duration.ofMinutes(1), timer);
    Sinks.Empty<Void> gate = Sinks.empty();
    writer.gate = gate.asMono();
    writer.failWith = new StorageUnavailableException("down", null);
    CompletableFuture<Void> first = batches.submit("t", profile("x")).toFuture();
    CompletableFuture<Void> a = batches.submit("t", profile("a")).toFuture();
    gate.tryEmitEmpty();
    assertThatThrownBy(first::join).hasCauseInstanceOf(StorageUnavailableException.class);
    assertThatThrownBy(a::join).hasCauseInstanceOf(StorageUnavailableException.class);
    writer.failWith = null;
    writer.gate = reactor.core.publisher.Mono.empty();
    batches.submit("t", profile("b")).block(Duration.ofSeconds(10));
    assertThat(writer.profiles()).isEqualTo(1);
  }
}
