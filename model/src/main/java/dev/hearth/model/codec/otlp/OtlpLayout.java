package dev.hearth.model.codec.otlp;

import static com.google.protobuf.WireFormat.WIRETYPE_FIXED64;
import static com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED;
import static com.google.protobuf.WireFormat.WIRETYPE_VARINT;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.hearth.model.codec.ProfileDecodeException;
import io.opentelemetry.proto.profiles.v1development.ProfilesDictionary;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Tells which opentelemetry-proto release laid out a binary OTLP profiles payload, by reading its
 * wire format (field numbers and wire types) rather than trusting any one schema.
 *
 * <p>The layouts differ where it matters most: 1.8 and 1.9 write {@code Sample} as {@code
 * stack_index=1, values=2, attribute_indices=3, link_index=4, timestamps=5}; 1.10 and 1.11 as
 * {@code stack_index=1, attribute_indices=2, link_index=3, values=4, timestamps=5}. A 1.11 parser
 * reads 1.9 values as attribute indices without complaint. Each field seen either fits a layout or
 * rules it out (1.9's packed {@code attribute_indices} in field 3 cannot be 1.11's varint {@code
 * link_index}; 1.11's packed {@code values} in field 4 cannot be 1.9's varint {@code link_index}),
 * and each sample must make sense in a layout (1.11 requires values or timestamps, and attribute
 * indices inside the attribute table). When both layouts fit every sample, the payload reads as
 * 1.11.
 */
final class OtlpLayout {
  /** The wire layouts this codec reads. */
  enum Generation {
    /** opentelemetry-proto 1.10 and 1.11 (identical {@code profiles.proto}). */
    CURRENT,
    /** opentelemetry-proto 1.9: sample values in field 2. */
    V1_9,
    /** opentelemetry-proto 1.8: as 1.9, plus {@code Profile} fields 7–12 one higher. */
    V1_8
  }

  static final String LEGACY_1_9 =
      "looks like OTLP profiles from opentelemetry-proto ≤ 1.9 (sample values in field 2)";
  static final String UPGRADE =
      "upgrade the producer to opentelemetry-proto 1.10 or later (Hearth reads 1.11)";

  private OtlpLayout() {}

  /**
   * @param payload the binary request or {@code ProfilesData}, already gunzipped
   * @param dictionary the payload's dictionary as parsed by 1.11 (its layout has not changed since
   *     1.8), for checking sample attribute indices
   * @throws ProfileDecodeException for a layout older than 1.8, or evidence for no single layout
   */
  static Generation detect(byte[] payload, ProfilesDictionary dictionary)
      throws ProfileDecodeException {
    Scan scan = new Scan(dictionary);
    try {
      scan.message(CodedInputStream.newInstance(payload), scan::top);
    } catch (IOException e) {
      throw new ProfileDecodeException(
          "OTLP profiles payload is not valid protobuf: " + e.getMessage(), e);
    }
    return scan.decide();
  }

  @FunctionalInterface
  private interface Body {
    void field(CodedInputStream in, int number, int wireType) throws IOException;
  }

  /** The evidence gathered in one pass; each reason is the first that ruled a layout out. */
  private static final class Scan {
    private final String[] attributeKeys;
    private final int linkCount;

    private @Nullable String notCurrent;
    private @Nullable String notV19;
    private @Nullable String notV18;
    private @Nullable String older;
    private @Nullable String currentInvalid;
    private @Nullable String oldInvalid;

    private int sampleTypes;
    private final Longs f2 = new Longs();
    private final Longs f3 = new Longs();
    private final Longs f4 = new Longs();
    private boolean f3Packed;
    private boolean f4Packed;
    private long timestamps;

    Scan(ProfilesDictionary d) {
      attributeKeys = new String[d.getAttributeTableCount()];
      for (int i = 0; i < attributeKeys.length; i++) {
        int k = d.getAttributeTable(i).getKeyStrindex();
        attributeKeys[i] =
            k > 0 && k < d.getStringTableCount() ? d.getStringTable(k) : "#" + k; // "#": no key
      }
      linkCount = d.getLinkTableCount();
    }

    void message(CodedInputStream in, Body body) throws IOException {
      int tag;
      while ((tag = in.readTag()) != 0) {
        int number = WireFormat.getTagFieldNumber(tag);
        int wireType = WireFormat.getTagWireType(tag);
        int before = in.getTotalBytesRead();
        body.field(in, number, wireType);
        if (in.getTotalBytesRead() == before) {
          in.skipField(tag); // the body looked at the tag only
        }
      }
    }

    void nested(CodedInputStream in, Body body) throws IOException {
      int length = in.readRawVarint32();
      int old = in.pushLimit(length);
      message(in, body);
      in.popLimit(old);
    }

    void top(CodedInputStream in, int number, int wireType) throws IOException {
      if (number == 1 && wireType == WIRETYPE_LENGTH_DELIMITED) {
        nested(in, this::resource);
      } else if (number == 2 && wireType == WIRETYPE_LENGTH_DELIMITED) {
        nested(in, this::dictionary);
      } else if (number >= 3 && number <= 8) {
        older("ProfilesData field " + number + " (1.6 kept the dictionary tables there)");
      }
    }

    void resource(CodedInputStream in, int number, int wireType) throws IOException {
      if (number == 2 && wireType == WIRETYPE_LENGTH_DELIMITED) {
        nested(in, this::scope);
      }
    }

    void scope(CodedInputStream in, int number, int wireType) throws IOException {
      if (number == 2 && wireType == WIRETYPE_LENGTH_DELIMITED) {
        sampleTypes = 0;
        nested(in, this::profile);
      }
    }

    void dictionary(CodedInputStream in, int number, int wireType) throws IOException {
      if (number == 6 && wireType == WIRETYPE_LENGTH_DELIMITED) {
        nested(
            in,
            (i, n, w) -> {
              if (n == 1 && w == WIRETYPE_LENGTH_DELIMITED) {
                older("attribute_table entries with string keys (≤ 1.7 KeyValue)");
              }
            });
      } else if (number == 7 && wireType == WIRETYPE_LENGTH_DELIMITED) {
        nested(
            in,
            (i, n, w) -> {
              if (n == 2) {
                older("stack_table entries with a field 2 (≤ 1.7 attribute_units)");
              }
            });
      }
    }

    void profile(CodedInputStream in, int number, int wireType) throws IOException {
      switch (number) {
        case 1, 5 -> {
          if (wireType != WIRETYPE_LENGTH_DELIMITED) {
            older("Profile field " + number + " is not a ValueType");
          } else {
            if (number == 1 && ++sampleTypes > 1) {
              older("Profile.sample_type repeated (≤ 1.7 had several sample types)");
            }
            nested(in, this::valueType);
          }
        }
        case 2 -> {
          if (wireType != WIRETYPE_LENGTH_DELIMITED) {
            older("Profile field 2 is not a Sample");
          } else {
            nested(in, this::sampleField);
            sampleDone();
          }
        }
        case 3 -> expect(wireType == WIRETYPE_FIXED64, "Profile field 3 is not fixed64 time");
        case 4, 6 ->
            expect(wireType == WIRETYPE_VARINT, "Profile field " + number + " is not a varint");
        case 7 -> {
          if (wireType == WIRETYPE_VARINT) {
            onlyV18("Profile field 7 is a varint (1.8 comment_strindices)");
          }
        }
        case 8 -> {
          if (wireType == WIRETYPE_LENGTH_DELIMITED) {
            onlyV18("Profile field 8 is bytes (1.8 profile_id)");
          } else {
            notV18("Profile field 8 is a varint (1.9+ dropped_attributes_count)");
          }
        }
        case 9 -> {
          if (wireType == WIRETYPE_VARINT) {
            onlyV18("Profile field 9 is a varint (1.8 dropped_attributes_count)");
          } else {
            notV18("Profile field 9 is a string (1.9+ original_payload_format)");
          }
        }
        case 11 -> {
          if (wireType == WIRETYPE_VARINT) {
            notV18("Profile field 11 is a varint (1.9+ attribute_indices)");
          }
        }
        case 12 -> onlyV18("Profile field 12 (1.8 attribute_indices)");
        default -> {} // unknown to every layout: a later release's addition, ignored as protobuf
          // does
      }
    }

    private void expect(boolean ok, String what) {
      if (!ok) {
        older(what + " (≤ 1.7 layout)");
      }
    }

    void valueType(CodedInputStream in, int number, int wireType) {
      if (number == 3) {
        onlyV18("ValueType field 3 (1.8 aggregation_temporality)");
      }
    }

    void sampleField(CodedInputStream in, int number, int wireType) throws IOException {
      switch (number) {
        case 1 -> expect(wireType == WIRETYPE_VARINT, "Sample field 1 is not a varint");
        case 2 -> ints(in, wireType, f2, "Sample field 2");
        case 3 -> f3Packed |= ints(in, wireType, f3, "Sample field 3");
        case 4 -> f4Packed |= ints(in, wireType, f4, "Sample field 4");
        case 5 -> {
          if (wireType == WIRETYPE_FIXED64) {
            in.readRawLittleEndian64();
            timestamps++;
          } else if (wireType == WIRETYPE_LENGTH_DELIMITED) {
            int length = in.readRawVarint32();
            in.skipRawBytes(length);
            timestamps += length / 8;
          } else {
            older("Sample field 5 is not fixed64 timestamps (≤ 1.7 link_index)");
          }
        }
        default -> {} // as in Profile
      }
    }

    /** Reads a varint or a packed run of varints; returns whether it was packed. */
    private boolean ints(CodedInputStream in, int wireType, Longs into, String what)
        throws IOException {
      if (wireType == WIRETYPE_VARINT) {
        into.add(in.readRawVarint64());
        return false;
      }
      if (wireType == WIRETYPE_LENGTH_DELIMITED) {
        int old = in.pushLimit(in.readRawVarint32());
        while (in.getBytesUntilLimit() > 0) {
          into.add(in.readRawVarint64());
        }
        in.popLimit(old);
        return true;
      }
      older(what + " has wire type " + wireType);
      return false;
    }

    private void sampleDone() {
      if (f3Packed) {
        notCurrent(
            "Sample field 3 is packed (1.9 attribute_indices; 1.11 has a varint link_index)");
      }
      if (f4Packed) {
        String why = "Sample field 4 is packed (1.11 values; 1.9 has a varint link_index)";
        notV19(why);
        notV18(why);
      }
      if (currentInvalid == null) {
        currentInvalid = check(f4, f2, f3Packed ? null : f3, "as 1.11");
      }
      if (oldInvalid == null) {
        oldInvalid = check(f2, f3, f4Packed ? null : f4, "as 1.9");
      }
      f2.clear();
      f3.clear();
      f4.clear();
      f3Packed = false;
      f4Packed = false;
      timestamps = 0;
    }

    /** Why one sample makes no sense read with these roles, or null. */
    private @Nullable String check(
        Longs values, Longs attributes, @Nullable Longs link, String as) {
      if (values.size == 0 && timestamps == 0) {
        return "read " + as + ", a sample has neither values nor timestamps";
      }
      if (values.size != 0 && timestamps != 0 && values.size != timestamps) {
        return "read "
            + as
            + ", a sample has "
            + values.size
            + " values and "
            + timestamps
            + " timestamps";
      }
      Set<String> keys = attributes.size > 1 ? new HashSet<>() : Set.of();
      for (int i = 0; i < attributes.size; i++) {
        long a = attributes.values[i];
        if (a <= 0 || a >= attributeKeys.length) {
          return "read "
              + as
              + ", a sample points at attribute "
              + a
              + " of "
              + attributeKeys.length;
        }
        if (attributes.size > 1 && !keys.add(attributeKeys[(int) a])) {
          return "read " + as + ", a sample repeats an attribute key";
        }
      }
      if (link != null && link.size > 0) {
        long l = link.values[link.size - 1];
        if (l < 0 || (l > 0 && l >= linkCount)) {
          return "read " + as + ", a sample points at link " + l + " of " + linkCount;
        }
      }
      return null;
    }

    private void notCurrent(String why) {
      notCurrent = notCurrent == null ? why : notCurrent;
    }

    private void notV19(String why) {
      notV19 = notV19 == null ? why : notV19;
    }

    private void notV18(String why) {
      notV18 = notV18 == null ? why : notV18;
    }

    private void onlyV18(String why) {
      notCurrent(why);
      notV19(why);
    }

    private void older(String why) {
      older = older == null ? why : older;
    }

    Generation decide() throws ProfileDecodeException {
      if (older != null) {
        throw new ProfileDecodeException(
            "OTLP profiles payload does not match the opentelemetry-proto 1.8 to 1.11 layouts ("
                + older
                + "): it looks like OTLP profiles from opentelemetry-proto ≤ 1.7, which Hearth"
                + " cannot convert; "
                + UPGRADE);
      }
      boolean current = notCurrent == null;
      boolean v19 = notV19 == null;
      boolean old = v19 || notV18 == null;
      if (current && currentInvalid == null) {
        return Generation.CURRENT;
      }
      if (old && oldInvalid == null) {
        return v19 ? Generation.V1_9 : Generation.V1_8;
      }
      if (current) {
        return Generation.CURRENT; // the reader names what is wrong, in 1.11 terms
      }
      if (old) {
        throw new ProfileDecodeException(
            "OTLP profiles payload "
                + LEGACY_1_9
                + " ("
                + notCurrent
                + ") but cannot be converted: "
                + oldInvalid
                + "; "
                + UPGRADE);
      }
      throw new ProfileDecodeException(
          "OTLP profiles payload mixes opentelemetry-proto layouts: "
              + notCurrent
              + ", yet "
              + (notV19 != null ? notV19 : notV18)
              + "; refusing to guess");
    }
  }

  /** A growable list of longs, reused from sample to sample. */
  private static final class Longs {
    long[] values = new long[8];
    int size;

    void add(long v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    void clear() {
      size = 0;
    }
  }
}
