package dev.hearth.storage.bench;

import dev.hearth.model.LabelMatcher;
import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Stack;
import dev.hearth.model.testing.FleetProfiles;
import dev.hearth.storage.SeriesSelection;
import dev.hearth.storage.WriteBatch;
import dev.hearth.storage.clickhouse.ClickHouseEndpoint;
import dev.hearth.storage.clickhouse.ClickHouseProfileStore;
import dev.hearth.storage.clickhouse.ClickHouseSettings;
import dev.hearth.storage.embedded.EmbeddedClickHouse;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Writes a fleet-shaped workload into the embedded engine and prints what it costs: samples/s and
 * distinct stacks/s written, bytes on disk per sample after merges, and the latency of a one-hour
 * merge read. Run it with {@code scripts/bench-storage.sh}; arguments {@code services stacks depth
 * rounds samplesPerProfile} default to {@code 100 1000 30 30 2000}.
 */
public final class StorageBenchmark {
  private static final long MINUTE = 60_000_000_000L;

  public static void main(String[] args) throws Exception {
    int services = arg(args, 0, 100);
    int stacksPerService = arg(args, 1, 1000);
    int depth = arg(args, 2, 30);
    int rounds = arg(args, 3, 30);
    int samplesPerProfile = arg(args, 4, 2000);
    Path dataDir = Files.createTempDirectory("hearth-bench-");
    System.out.printf(
        "workload: %d services x %d distinct stacks of depth %d, %d rounds of one %d-sample profile per service (2 min apart)%n",
        services, stacksPerService, depth, rounds, samplesPerProfile);

    FleetProfiles gen = new FleetProfiles(42);
    List<List<Stack>> stacks = new ArrayList<>();
    for (int s = 0; s < services; s++) {
      stacks.add(gen.stacks("svc" + s, stacksPerService, depth));
    }
    long start = (System.currentTimeMillis() / 3_600_000L - 2) * 3_600_000L * 1_000_000L;

    try (EmbeddedClickHouse engine = new EmbeddedClickHouse(dataDir).start()) {
      ClickHouseEndpoint endpoint =
          new ClickHouseEndpoint(engine.httpUrl().toString(), engine.user(), engine.password());
      ClickHouseSettings settings = ClickHouseSettings.defaults();
      try (ClickHouseProfileStore store =
          ClickHouseProfileStore.open(endpoint, settings, Map::of)) {
        long samples = 0;
        long rows = 0;
        double coldSeconds = 0;
        double warmSeconds = 0;
        long warmSamples = 0;
        for (int round = 0; round < rounds; round++) {
          long roundSamples = 0;
          // Generate the round's batches first: only writing is timed.
          List<List<Profile>> batches = new ArrayList<>();
          for (int s = 0; s < services; s += 10) {
            List<Profile> batch = new ArrayList<>();
            for (int k = s; k < Math.min(services, s + 10); k++) {
              Profile p =
                  gen.profile(
                      ProfileType.CPU,
                      FleetProfiles.labels("svc" + k, "host-" + (k % 7)),
                      start + round * 2 * MINUTE,
                      stacks.get(k),
                      samplesPerProfile);
              batch.add(p);
              roundSamples += p.samples().size();
            }
            batches.add(batch);
          }
          long t0 = System.nanoTime();
          for (List<Profile> batch : batches) {
            rows += store.writer().write(new WriteBatch("bench", batch)).block().sampleRows();
          }
          double seconds = (System.nanoTime() - t0) / 1e9;
          samples += roundSamples;
          if (round == 0) {
            coldSeconds = seconds;
          } else {
            warmSeconds += seconds;
            warmSamples += roundSamples;
          }
        }
        long distinctStacks = (long) services * stacksPerService;
        System.out.printf(
            "first round (all dictionaries new): %d distinct stacks in %.2f s = %.0f distinct stacks/s (%.0f samples/s)%n",
            distinctStacks,
            coldSeconds,
            distinctStacks / coldSeconds,
            samples / (double) rounds / coldSeconds);
        System.out.printf(
            "later rounds (dictionaries known):  %d samples in %.2f s = %.0f samples/s (%.0f sample rows/s after per-profile summing)%n",
            warmSamples,
            warmSeconds,
            warmSamples / warmSeconds,
            rows * (warmSamples / (double) samples) / warmSeconds);

        String db = settings.database();
        query(engine, "OPTIMIZE TABLE " + db + ".samples FINAL");
        for (String t : List.of("functions", "locations", "stacks", "mappings", "series")) {
          query(engine, "OPTIMIZE TABLE " + db + "." + t + " FINAL");
        }
        long sampleBytes =
            Long.parseLong(
                query(
                        engine,
                        "SELECT sum(bytes_on_disk) FROM system.parts WHERE database='"
                            + db
                            + "' AND table='samples' AND active")
                    .strip());
        long storedRows =
            Long.parseLong(query(engine, "SELECT count() FROM " + db + ".samples").strip());
        long allBytes =
            Long.parseLong(
                query(
                        engine,
                        "SELECT sum(bytes_on_disk) FROM system.parts WHERE database='"
                            + db
                            + "' AND active")
                    .strip());
        System.out.printf(
            "on disk after merges: samples table %.2f bytes/sample row (%d rows, %.1f MB); all tables incl. dictionaries and rollups %.2f bytes per input sample (%.1f MB)%n",
            sampleBytes / (double) storedRows,
            storedRows,
            sampleBytes / 1e6,
            allBytes / (double) samples,
            allBytes / 1e6);

        long hourFrom = start;
        long hourUntil = start + 60 * MINUTE;
        SeriesSelection one =
            new SeriesSelection(
                "bench",
                ProfileType.CPU,
                List.of(LabelMatcher.eq("service_name", "svc7")),
                hourFrom,
                hourUntil);
        SeriesSelection fleet =
            new SeriesSelection("bench", ProfileType.CPU, List.of(), hourFrom, hourUntil);
        System.out.printf(
            "one-hour merge, one service:  median %.1f ms (%d stacks)%n",
            medianMillis(store, one), store.queries().mergedStacks(one).count().block());
        System.out.printf(
            "one-hour merge, whole fleet:  median %.1f ms (%d stacks)%n",
            medianMillis(store, fleet), store.queries().mergedStacks(fleet).count().block());
      }
    }
  }

  private static double medianMillis(ClickHouseProfileStore store, SeriesSelection selection) {
    double[] t = new double[7];
    for (int i = 0; i < t.length; i++) {
      long t0 = System.nanoTime();
      store.queries().mergedStacks(selection).collectList().block();
      t[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(t);
    return t[t.length / 2];
  }

  private static String query(EmbeddedClickHouse engine, String sql) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    engine.httpUrl() + "/?query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8)))
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString(
                            (engine.user() + ":" + engine.password())
                                .getBytes(StandardCharsets.UTF_8)))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(sql + ": " + response.body());
      }
      return response.body();
    }
  }

  private static int arg(String[] args, int i, int fallback) {
    return args.length > i ? Integer.parseInt(args[i]) : fallback;
  }
}
