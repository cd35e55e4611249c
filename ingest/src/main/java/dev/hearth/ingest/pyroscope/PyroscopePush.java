package dev.hearth.ingest.pyroscope;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.util.JsonFormat;
import dev.hearth.ingest.IngestException;
import dev.hearth.ingest.Payload;
import dev.hearth.ingest.pyroscope.proto.PushProto.LabelPair;
import dev.hearth.ingest.pyroscope.proto.PushProto.PushRequest;
import dev.hearth.ingest.pyroscope.proto.PushProto.RawProfileSeries;
import dev.hearth.ingest.pyroscope.proto.PushProto.RawSample;
import dev.hearth.model.codec.pprof.PprofOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pyroscope's {@code push.v1.PusherService/Push} request, as Grafana Alloy's {@code
 * pyroscope.write} and the Python SDK send it: each series' labels name the service ({@code
 * service_name}) and the profile family ({@code __name__}); each raw sample is a pprof. {@code
 * __delta__="false"} marks Go's cumulative types, which are stored as deltas between consecutive
 * pushes. Label names are kept as sent ({@code otel.scope.name}).
 */
public final class PyroscopePush {
  private PyroscopePush() {}

  /** The payloads of a {@code PushRequest}, binary protobuf or its JSON form. */
  public static List<Payload> payloads(byte[] body, boolean json) {
    PushRequest push;
    try {
      if (json) {
        PushRequest.Builder b = PushRequest.newBuilder();
        JsonFormat.parser()
            .ignoringUnknownFields()
            .merge(new String(body, StandardCharsets.UTF_8), b);
        push = b.build();
      } else {
        // Aliasing: the raw profiles are views of the body, copied once (below), not twice.
        CodedInputStream in = CodedInputStream.newInstance(body);
        in.enableAliasing(true);
        push = PushRequest.parseFrom(in);
      }
    } catch (IOException | RuntimeException e) {
      throw IngestException.invalid(
          "decode", "push.v1 PushRequest is not valid " + (json ? "JSON" : "protobuf"));
    }
    List<Payload> out = new ArrayList<>();
    for (RawProfileSeries series : push.getSeriesList()) {
      Map<String, String> labels = new LinkedHashMap<>();
      for (LabelPair l : series.getLabelsList()) {
        labels.put(l.getName(), l.getValue());
      }
      String name = labels.get("__name__");
      Set<String> cumulative =
          "false".equals(labels.get("__delta__")) ? PprofOptions.GO_CUMULATIVE_TYPES : Set.of();
      for (RawSample sample : series.getSamplesList()) {
        out.add(
            new Payload.Pprof(
                sample.getRawProfile().toByteArray(),
                null,
                labels,
                name == null || name.isBlank() ? null : name,
                cumulative,
                Map.of(),
                0,
                0));
      }
    }
    return out;
  }
}
