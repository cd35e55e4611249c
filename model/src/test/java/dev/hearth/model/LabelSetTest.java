package dev.hearth.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSetTest {

  @Test
  void sortsByNameAndDropsEmptyValues() {
    LabelSet labels = LabelSet.of(Map.of("service_name", "api", "env", "", "host_name", "web-1"));
    assertThat(labels.asMap())
        .containsExactly(Map.entry("host_name", "web-1"), Map.entry("service_name", "api"));
    assertThat(labels.get("env")).isNull();
    assertThat(labels).hasToString("{host_name=\"web-1\", service_name=\"api\"}");
  }

  @Test
  void rejectsInvalidNamesNamingThem() {
    assertThatThrownBy(() -> LabelSet.of("bad\u0001name", "api"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad\\u0001name");
    assertThatThrownBy(() -> LabelSet.of("", "x")).hasMessageContaining("invalid label name");
    assertThatThrownBy(() -> LabelSet.of("lone\ud800", "x"))
        .hasMessageContaining("invalid label name");
    assertThatThrownBy(() -> LabelSet.of("a", "1", "a", "2")).hasMessageContaining("given twice");
  }

  @Test
  void acceptsUtf8NamesAsPyroscopeTwoDoes() {
    LabelSet set = LabelSet.of("otel.scope.name", "pyroscope", "service_name", "api", "1abc", "x");
    assertThat(set.get("otel.scope.name")).isEqualTo("pyroscope");
    assertThat(LabelSet.isLegacyName("otel.scope.name")).isFalse();
    assertThat(LabelSet.isLegacyName("service_name")).isTrue();
    assertThat(set.toString())
        .isEqualTo("{\"1abc\"=\"x\", \"otel.scope.name\"=\"pyroscope\", service_name=\"api\"}");
  }

  @Test
  void sanitizesOtlpAttributeKeys() {
    assertThat(LabelSet.sanitizeName("service.name")).isEqualTo("service_name");
    assertThat(LabelSet.sanitizeName("k8s.pod.uid")).isEqualTo("k8s_pod_uid");
    assertThat(LabelSet.sanitizeName("9lives")).isEqualTo("_9lives");
    assertThat(LabelSet.isValidName(LabelSet.sanitizeName("host-name/x"))).isTrue();
  }

  @Test
  void withAndWithoutReturnNewSets() {
    LabelSet base = LabelSet.of("a", "1");
    assertThat(base.with("b", "2").asMap()).containsEntry("b", "2").containsEntry("a", "1");
    assertThat(base.with("a", "").isEmpty()).isTrue();
    assertThat(base.without("a")).isEqualTo(LabelSet.EMPTY);
    assertThat(base.asMap()).hasSize(1);
  }
}
