package dev.hearth.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.ingest.pyroscope.JfrContexts;
import dev.hearth.ingest.pyroscope.proto.JfrLabelsProto.Context;
import dev.hearth.ingest.pyroscope.proto.JfrLabelsProto.LabelsSnapshot;
import dev.hearth.model.Attribute;
import dev.hearth.model.LabelSet;
import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Sample;
import dev.hearth.model.Stack;
import dev.hearth.model.Temporality;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

class JfrContextsTest {
  private static final Stack STACK = Stack.ofFunctionNamesRootFirst(List.of("main", "work"));

  @Test
  void contextLabelsBecomeSeriesLabelsOneSeriesPerContext() {
    LongFunction<List<Attribute>> contexts =
        JfrContexts.parse(
            LabelsSnapshot.newBuilder()
                .putStrings(1, "controller")
                .putStrings(2, "checkout")
                .putContexts(7, Context.newBuilder().putLabels(1, 2).build())
                .build()
                .toByteArray());
    List<Attribute> checkout = contexts.apply(7);
    assertThat(contexts.apply(8)).isEmpty();

    Profile p =
        new Profile(
            ProfileType.CPU,
            LabelSet.EMPTY,
            1,
            0,
            0,
            Temporality.DELTA,
            List.of(
                new Sample(STACK, 10, 1, checkout, 0),
                new Sample(STACK, 20, 2, List.of(Attribute.string("thread.name", "t")), 0)));

    List<Decoder.Decoded> split = Decoder.splitByContext(p, Map.of("service_name", "app"));

    assertThat(split).hasSize(2);
    assertThat(split.get(0).extraLabels())
        .isEqualTo(Map.of("service_name", "app", "controller", "checkout"));
    assertThat(split.get(0).profile().samples().getFirst().attributes()).isEmpty();
    assertThat(split.get(1).extraLabels()).isEqualTo(Map.of("service_name", "app"));
    assertThat(split.get(1).profile().totalValue()).isEqualTo(20);
  }

  @Test
  void aContextNamingAMissingStringIsRefused() {
    LongFunction<List<Attribute>> contexts =
        JfrContexts.parse(
            LabelsSnapshot.newBuilder()
                .putContexts(7, Context.newBuilder().putLabels(1, 2).build())
                .build()
                .toByteArray());
    assertThatThrownBy(() -> contexts.apply(7))
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("string table");
  }
}
