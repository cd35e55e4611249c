package dev.hearth.model.codec.otlp;

import static com.google.protobuf.WireFormat.WIRETYPE_FIXED32;
import static com.google.protobuf.WireFormat.WIRETYPE_FIXED64;
import static com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED;
import static com.google.protobuf.WireFormat.WIRETYPE_VARINT;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.hearth.model.codec.ProfileDecodeException;
import java.io.IOException;
import java.util.BitSet;

/**
 * Rewrites a payload laid out by opentelemetry-proto 1.8 or 1.9 into the 1.11 layout, field by
 * field on the wire, so that the 1.11 classes then read it as its producer meant it. Only field
 * numbers change; every value is copied byte for byte.
 *
 * <ul>
 *   <li>{@code Sample} (1.8, 1.9): values 2 → 4, attribute_indices 3 → 2, link_index 4 → 3.
 *   <li>{@code Profile} (1.8 only): comment_strindices 7 dropped; profile_id 8 → 7,
 *       dropped_attributes_count 9 → 8, original_payload_format 10 → 9, original_payload 11 → 10,
 *       attribute_indices 12 → 11.
 *   <li>{@code ValueType} (1.8 only): aggregation_temporality 3 dropped; a {@code CUMULATIVE}
 *       sample type is reported in {@link Result#cumulativeProfiles()}.
 * </ul>
 */
final class OtlpLegacyRewriter {
  private static final int AGGREGATION_TEMPORALITY_CUMULATIVE = 2;

  /**
   * @param bytes the payload in the 1.11 layout
   * @param cumulativeProfiles the ordinals (resource, scope, profile order) of profiles whose 1.8
   *     sample type said {@code AGGREGATION_TEMPORALITY_CUMULATIVE}
   */
  record Result(ByteString bytes, BitSet cumulativeProfiles) {}

  private final OtlpLayout.Generation from;
  private final BitSet cumulative = new BitSet();
  private int profileOrdinal;
  private boolean profileCumulative;

  private OtlpLegacyRewriter(OtlpLayout.Generation from) {
    this.from = from;
  }

  static Result rewrite(byte[] payload, OtlpLayout.Generation from) throws ProfileDecodeException {
    if (from == OtlpLayout.Generation.CURRENT) {
      return new Result(ByteString.copyFrom(payload), new BitSet());
    }
    OtlpLegacyRewriter rewriter = new OtlpLegacyRewriter(from);
    try {
      ByteString out = rewriter.message(CodedInputStream.newInstance(payload), rewriter::top);
      return new Result(out, rewriter.cumulative);
    } catch (IOException e) {
      throw new ProfileDecodeException(
          "OTLP profiles payload is not valid protobuf: " + e.getMessage(), e);
    }
  }

  /** Rewrites one field; returns false to have it copied unchanged. */
  @FunctionalInterface
  private interface Body {
    boolean field(CodedInputStream in, CodedOutputStream out, int number, int wireType)
        throws IOException;
  }

  private ByteString message(CodedInputStream in, Body body) throws IOException {
    ByteString.Output bytes = ByteString.newOutput();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    int tag;
    while ((tag = in.readTag()) != 0) {
      int number = WireFormat.getTagFieldNumber(tag);
      int wireType = WireFormat.getTagWireType(tag);
      if (!body.field(in, out, number, wireType)) {
        copy(in, out, wireType, number);
      }
    }
    out.flush();
    return bytes.toByteString();
  }

  private ByteString nested(CodedInputStream in, Body body) throws IOException {
    int old = in.pushLimit(in.readRawVarint32());
    ByteString rewritten = message(in, body);
    in.popLimit(old);
    return rewritten;
  }

  /** Copies one field's value under a (possibly new) field number. */
  private static void copy(CodedInputStream in, CodedOutputStream out, int wireType, int number)
      throws IOException {
    switch (wireType) {
      case WIRETYPE_VARINT -> out.writeUInt64(number, in.readRawVarint64());
      case WIRETYPE_FIXED64 -> out.writeFixed64(number, in.readRawLittleEndian64());
      case WIRETYPE_LENGTH_DELIMITED -> out.writeBytes(number, in.readBytes());
      case WIRETYPE_FIXED32 -> out.writeFixed32(number, in.readRawLittleEndian32());
      default -> throw new IOException("unsupported wire type " + wireType + " in field " + number);
    }
  }

  private boolean top(CodedInputStream in, CodedOutputStream out, int number, int wireType)
      throws IOException {
    if (number != 1 || wireType != WIRETYPE_LENGTH_DELIMITED) {
      return false;
    }
    out.writeBytes(1, nested(in, this::resource));
    return true;
  }

  private boolean resource(CodedInputStream in, CodedOutputStream out, int number, int wireType)
      throws IOException {
    if (number != 2 || wireType != WIRETYPE_LENGTH_DELIMITED) {
      return false;
    }
    out.writeBytes(2, nested(in, this::scope));
    return true;
  }

  private boolean scope(CodedInputStream in, CodedOutputStream out, int number, int wireType)
      throws IOException {
    if (number != 2 || wireType != WIRETYPE_LENGTH_DELIMITED) {
      return false;
    }
    profileCumulative = false;
    out.writeBytes(2, nested(in, this::profile));
    if (profileCumulative) {
      cumulative.set(profileOrdinal);
    }
    profileOrdinal++;
    return true;
  }

  private boolean profile(CodedInputStream in, CodedOutputStream out, int number, int wireType)
      throws IOException {
    if (number == 2 && wireType == WIRETYPE_LENGTH_DELIMITED) {
      out.writeBytes(2, nested(in, OtlpLegacyRewriter::sample));
      return true;
    }
    if (from != OtlpLayout.Generation.V1_8) {
      return false;
    }
    if ((number == 1 || number == 5) && wireType == WIRETYPE_LENGTH_DELIMITED) {
      boolean sampleType = number == 1;
      out.writeBytes(
          number,
          nested(
              in,
              (i, o, n, w) -> {
                if (n != 3 || w != WIRETYPE_VARINT) {
                  return false;
                }
                long temporality = i.readRawVarint64();
                profileCumulative |=
                    sampleType && temporality == AGGREGATION_TEMPORALITY_CUMULATIVE;
                return true;
              }));
      return true;
    }
    if (number == 7) {
      in.skipField(tag(number, wireType)); // comment_strindices: 1.9 dropped them
      return true;
    }
    if (number >= 8 && number <= 12) {
      copy(in, out, wireType, number - 1);
      return true;
    }
    return false;
  }

  private static boolean sample(CodedInputStream in, CodedOutputStream out, int number, int wt)
      throws IOException {
    int renumbered =
        switch (number) {
          case 2 -> 4; // values
          case 3 -> 2; // attribute_indices
          case 4 -> 3; // link_index
          default -> number;
        };
    copy(in, out, wt, renumbered);
    return true;
  }

  private static int tag(int number, int wireType) {
    return (number << 3) | wireType;
  }
}
