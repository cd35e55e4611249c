package dev.hearth.ingest;

import dev.hearth.storage.ProfileWriter;
import dev.hearth.storage.WriteBatch;
import dev.hearth.storage.WriteResult;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Mono;

/** A writer that records batches; it can be told to fail or to hold writes. */
final class RecordingWriter implements ProfileWriter {
  final List<WriteBatch> batches = new CopyOnWriteArrayList<>();
  volatile RuntimeException failWith;
  volatile Mono<Void> gate = Mono.empty();

  @Override
  public Mono<WriteResult> write(WriteBatch batch) {
    return gate.then(
        Mono.defer(
            () -> {
              if (failWith != null) {
                return Mono.error(failWith);
              }
              batches.add(batch);
              return Mono.just(new WriteResult(0, 0, 0, 0, 0));
            }));
  }

  long profiles() {
    return batches.stream().mapToLong(b -> b.profiles().size()).sum();
  }
}
