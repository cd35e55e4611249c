package dev.hearth.ingest.pyroscope;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.hearth.ingest.IngestException;
import dev.hearth.ingest.pyroscope.proto.JfrLabelsProto.Context;
import dev.hearth.ingest.pyroscope.proto.JfrLabelsProto.LabelsSnapshot;
import dev.hearth.model.Attribute;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Resolves the {@code contextId} of JFR events through Pyroscope's {@code LabelsSnapshot}: each
 * context's labels are string-table ids. Those labels are the series labels Pyroscope's Java agent
 * attaches with {@code Pyroscope.LabelsWrapper}; the core moves them from sample attributes into
 * the series.
 */
public final class JfrContexts {
  /** Prefix that marks a sample attribute as a context label while the core regroups samples. */
  public static final String PREFIX = "\u0000ctx:";

  private JfrContexts() {}

  public static LongFunction<List<Attribute>> parse(byte[] snapshot) {
    LabelsSnapshot s;
    try {
      s = LabelsSnapshot.parseFrom(snapshot);
    } catch (InvalidProtocolBufferException e) {
      throw IngestException.invalid(
          "decode", "the JFR 'labels' part is not a LabelsSnapshot: " + e.getMessage());
    }
    Map<Long, String> strings = s.getStringsMap();
    return contextId -> {
      Context c = s.getContextsMap().get(contextId);
      if (c == null) {
        return List.of();
      }
      List<Attribute> out = new ArrayList<>(c.getLabelsCount());
      for (Map.Entry<Long, Long> e : c.getLabelsMap().entrySet()) {
        String key = strings.get(e.getKey());
        String value = strings.get(e.getValue());
        if (key == null || value == null) {
          throw IngestException.invalid(
              "decode",
              "the JFR 'labels' context "
                  + contextId
                  + " names string "
                  + (key == null ? e.getKey() : e.getValue())
                  + ", which the snapshot's string table lacks");
        }
        out.add(Attribute.string(PREFIX + key, value));
      }
      return out;
    };
  }
}
