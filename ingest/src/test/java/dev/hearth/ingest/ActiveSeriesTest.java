package dev.hearth.ingest;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.storage.ProfileWriter;
import dev.hearth.storage.WriteBatch;
import dev.hearth.storage.WriteResult;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The per-tenant series cap, shared by servers through what the storage holds. */
class ActiveSeriesTest {
  /** A backend several servers write to: it knows every series any of them admitted. */
  private final Set<Long> stored = new HashSet<>();

  private final ProfileWriter backend =
      new ProfileWriter() {
        @Override
        public Mono<WriteResult> write(WriteBatch batch) {
          throw new UnsupportedOperationException();
        }

        @Override
        public Mono<Set<Long>> activeSeries(String tenant, long sinceNanos, int limit) {
          return Mono.just(tenant.equals("t") ? Set.copyOf(stored) : Set.of());
        }
      };

  @Test
  void twoServersShareOneLimitThroughTheStorage() {
    ActiveSeries a = new ActiveSeries(4, Duration.ofHours(1), backend, Duration.ZERO);
    ActiveSeries b = new ActiveSeries(4, Duration.ofHours(1), backend, Duration.ZERO);
    for (long id = 1; id <= 3; id++) {
      a.admit("t", id, "s" + id);
      stored.add(id); // written
    }
    b.admit("t", 4, "s4");
    stored.add(4L);
    assertThatThrownBy(() -> b.admit("t", 5, "s5"))
        .hasMessageContaining("tenant has 4 active series")
        .hasMessageContaining("hearth.ingest.max-series-per-tenant");
    assertThatThrownBy(() -> a.admit("t", 6, "s6")).hasMessageContaining("limit");
    // A series active anywhere is never refused, on whichever server it arrives.
    b.admit("t", 2, "s2");
    a.admit("t", 4, "s4");
    // Other tenants have their own count.
    a.admit("u", 5, "s5");
  }

  @Test
  void aServerAloneCountsItsOwnSeriesAndFreesIdleOnes() throws Exception {
    ActiveSeries alone = new ActiveSeries(2, Duration.ofMillis(500), backend, Duration.ZERO);
    alone.admit("t", 1, "s1");
    alone.admit("t", 2, "s2");
    assertThatThrownBy(() -> alone.admit("t", 3, "s3")).hasMessageContaining("2 active series");
    Thread.sleep(700);
    alone.admit("t", 3, "s3");
  }
}
