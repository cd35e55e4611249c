package dev.hearth.agent.export;

import dev.hearth.agent.profile.Batch;
import dev.hearth.model.LabelSet;
import dev.hearth.model.Profile;
import dev.hearth.model.codec.otlp.OtlpEncoder;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Encodes a batch as one OTLP request, adding each series' extra resource attributes. */
public final class OtlpRequests {
  private OtlpRequests() {}

  public static ExportProfilesServiceRequest encode(Batch batch) {
    ExportProfilesServiceRequest request = OtlpEncoder.encode(batch.profiles());
    // OtlpEncoder writes one ResourceProfiles per distinct label set, in first-seen order.
    Set<LabelSet> order = new LinkedHashSet<>();
    for (Profile p : batch.profiles()) {
      order.add(p.labels());
    }
    List<LabelSet> labels = new ArrayList<>(order);
    ExportProfilesServiceRequest.Builder b = request.toBuilder();
    for (int i = 0; i < b.getResourceProfilesCount() && i < labels.size(); i++) {
      Map<String, String> extra = batch.resourceAttributes().getOrDefault(labels.get(i), Map.of());
      var resource = b.getResourceProfilesBuilder(i).getResourceBuilder();
      extra.forEach(
          (k, v) ->
              resource.addAttributes(
                  KeyValue.newBuilder()
                      .setKey(k)
                      .setValue(AnyValue.newBuilder().setStringValue(v))));
    }
    return b.build();
  }
}
