package dev.hearth.server.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigurationCheckTest {

  @Test
  void reportsEveryProblemAtOnceNamingTheKeys() {
    ClickHouseProperties clickhouse =
        new ClickHouseProperties(
            "clickhouse:8123",
            "default",
            "",
            "my-db",
            Path.of("data"),
            0,
            10,
            Duration.ofSeconds(60),
            Duration.ZERO,
            Duration.ZERO,
            Duration.ofSeconds(30),
            org.springframework.util.unit.DataSize.ofGigabytes(4),
            64,
            "prod cluster",
            "sometimes",
            java.util.List.of("ch-0:8123"));
    ServerProperties server = new ServerProperties("", Duration.ofHours(1));
    assertThatThrownBy(
            () ->
                ConfigurationCheck.validate(
                    clickhouse,
                    server,
                    new AuthProperties(
                        java.util.Map.of("short", "bad tenant"), false, false, false),
                    ingestWithZeroSamples(),
                    new QueryProperties(
                        8192, 100, 1, 1, 0, 0, Duration.ofMinutes(1), Duration.ofMinutes(1), 0)))
        .hasMessageContaining("12 problems")
        .hasMessageContaining("hearth.ingest.max-samples-per-profile")
        .hasMessageContaining("hearth.query.max-nodes (100)")
        .hasMessageContaining("hearth.auth.tokens: a token is shorter")
        .hasMessageContaining("tenant 'bad tenant'")
        .hasMessageContaining("clickhouse.url 'clickhouse:8123'")
        .hasMessageContaining("clickhouse.database 'my-db'")
        .hasMessageContaining("clickhouse.retention-days")
        .hasMessageContaining("clickhouse.startup-timeout")
        .hasMessageContaining("hearth.default-tenant")
        .hasMessageContaining("clickhouse.cluster 'prod cluster'")
        .hasMessageContaining("clickhouse.replication 'sometimes'")
        .hasMessageContaining("clickhouse.cluster-nodes entry 'ch-0:8123'");
  }

  private static IngestProperties ingestWithZeroSamples() {
    var d = dev.hearth.ingest.IngestLimits.defaults();
    return new IngestProperties(
        org.springframework.util.unit.DataSize.ofBytes(d.maxBodyBytes()),
        org.springframework.util.unit.DataSize.ofBytes(d.maxDecompressedBytes()),
        0,
        d.maxLabelsPerSeries(),
        d.maxLabelNameLength(),
        d.maxLabelValueLength(),
        d.maxSeriesPerTenant(),
        d.seriesIdleTimeout(),
        d.maxStackDepth(),
        org.springframework.util.unit.DataSize.ofBytes(d.maxInFlightBytes()),
        d.batchMaxSamples(),
        d.batchMaxWrites(),
        d.batchMaxDelay(),
        org.springframework.util.unit.DataSize.ofBytes(d.maxRequestMemory()),
        d.dedupWindowEntries(),
        d.cumulativeSeries(),
        d.maxFutureSkew());
  }
}
