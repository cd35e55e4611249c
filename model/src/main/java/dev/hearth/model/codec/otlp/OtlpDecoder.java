package dev.hearth.model.codec.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import dev.hearth.model.Profile;
import dev.hearth.model.codec.Gzip;
import dev.hearth.model.codec.ProfileDecodeException;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest;
import io.opentelemetry.proto.profiles.v1development.ProfilesData;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.List;

/**
 * Reads OTLP profiles ({@code v1development}, opentelemetry-proto 1.11) into one {@link Profile}
 * per OTLP {@code Profile}.
 *
 * <ul>
 *   <li><b>Series.</b> Resource attributes become series labels, named by {@link
 *       dev.hearth.model.LabelSet#sanitizeName} ({@code service.name} → {@code service_name});
 *       {@code process.pid}, {@code pid}, {@code thread.id}, {@code thread.name} and {@code
 *       cpu.logical_number} instead travel with every sample as attributes.
 *   <li><b>Type.</b> {@code sample_type} and {@code period_type} (the sample type when absent); the
 *       family name from the profile attribute {@code hearth.profile.name}, else {@link
 *       dev.hearth.model.codec.ProfileNames#guess}. Time, duration and period as given; {@link
 *       dev.hearth.model.Temporality#DELTA} (1.8's {@code CUMULATIVE} sample types excepted).
 *   <li><b>Samples.</b> Values alone: one model sample per value, counting 1, or counting the value
 *       itself when the sample unit is {@code count}. Timestamps alone: one sample of value 1 per
 *       timestamp. Both: one sample per (value, timestamp) pair; unequal lengths are an error.
 *       Sample attributes: integers stay numbers with their unit, other values become text.
 *   <li><b>Frames.</b> Stacks are leaf first; a location's lines are innermost first, as in pprof
 *       and the model. Addresses become file-relative ({@code address - memory_start + file_offset}
 *       when inside the mapping). A location with a mapping or address but no lines becomes a
 *       synthetic {@code libfoo.so+0x1a2b} frame. {@code profile.frame.type} on a location is its
 *       frame type; {@code process.executable.build_id.<kind>} on a mapping its build id.
 * </ul>
 *
 * <p>Every dictionary index is bounds-checked (index 0 is each table's zero value); a bad one is a
 * {@link ProfileDecodeException} naming the table, the index, the table's size and the field that
 * referenced it.
 *
 * <p><b>Older producers.</b> Producers built on opentelemetry-proto 1.8 or 1.9 number {@code
 * Sample}'s fields differently (values in field 2, where 1.11 reads attribute indices). Binary
 * payloads are checked on the wire and such payloads converted; layouts older than 1.8 are refused.
 * Messages parsed elsewhere with the 1.11 classes have already lost those values' upper bits, so
 * they are refused when they show signs of an older producer.
 */
public final class OtlpDecoder {
  private OtlpDecoder() {}

  /**
   * Decodes a binary {@code ExportProfilesServiceRequest} or {@code ProfilesData} (the two share
   * their wire layout), gzip or plain; converts 1.8 and 1.9 layouts.
   *
   * @param maxBytes the largest (decompressed) payload accepted
   */
  public static List<Profile> decode(byte[] data, long maxBytes) throws ProfileDecodeException {
    byte[] plain = Gzip.maybeGunzip(data, maxBytes);
    ExportProfilesServiceRequest request = parse(UnsafeByteOperations.unsafeWrap(plain));
    OtlpLayout.Generation layout = OtlpLayout.detect(plain, request.getDictionary());
    if (layout == OtlpLayout.Generation.CURRENT) {
      return read(request, new BitSet());
    }
    OtlpLegacyRewriter.Result converted = OtlpLegacyRewriter.rewrite(plain, layout);
    return read(parse(converted.bytes()), converted.cumulativeProfiles());
  }

  /**
   * Converts a request already parsed with the 1.11 classes.
   *
   * @throws ProfileDecodeException also when the request shows signs of an older producer, whose
   *     values that parse cannot have kept; {@link #decode(byte[], long)} converts those
   */
  public static List<Profile> decode(ExportProfilesServiceRequest request)
      throws ProfileDecodeException {
    OtlpParsedCheck.check(request.getResourceProfilesList(), request.getDictionary());
    return read(request, new BitSet());
  }

  /** As {@link #decode(ExportProfilesServiceRequest)}, for {@code ProfilesData}. */
  public static List<Profile> decode(ProfilesData data) throws ProfileDecodeException {
    OtlpParsedCheck.check(data.getResourceProfilesList(), data.getDictionary());
    return OtlpReader.read(
        data.getResourceProfilesList(), data.hasDictionary(), data.getDictionary(), new BitSet());
  }

  /**
   * Decodes OTLP/JSON (UTF-8, gzip or plain): trace, span and profile ids in hex, unknown fields
   * ignored, 64-bit integers as strings or numbers. 1.9 JSON reads correctly (JSON names fields, it
   * does not number them); names only 1.8 and older used are refused.
   */
  public static List<Profile> decodeJson(byte[] data, long maxBytes) throws ProfileDecodeException {
    return decodeJson(new String(Gzip.maybeGunzip(data, maxBytes), StandardCharsets.UTF_8));
  }

  /** Decodes OTLP/JSON. */
  public static List<Profile> decodeJson(String json) throws ProfileDecodeException {
    return read(OtlpJson.parse(json), new BitSet());
  }

  private static ExportProfilesServiceRequest parse(ByteString plain)
      throws ProfileDecodeException {
    try {
      return ExportProfilesServiceRequest.parseFrom(plain);
    } catch (InvalidProtocolBufferException e) {
      throw new ProfileDecodeException(
          "OTLP profiles payload is not valid protobuf (truncated or corrupt): " + e.getMessage(),
          e);
    }
  }

  private static List<Profile> read(ExportProfilesServiceRequest request, BitSet cumulative)
      throws ProfileDecodeException {
    return OtlpReader.read(
        request.getResourceProfilesList(),
        request.hasDictionary(),
        request.getDictionary(),
        cumulative);
  }
}
