package dev.hearth.model.codec.pprof;

import dev.hearth.model.Profile;
import dev.hearth.model.codec.FrameCache;
import dev.hearth.model.codec.Gzip;
import dev.hearth.model.codec.ProfileDecodeException;
import dev.hearth.model.codec.pprof.proto.PprofProto;
import java.util.List;

/**
 * Reads pprof (gzip or plain, sniffed by the {@code 1f 8b} magic) into one {@link Profile} per
 * sample type.
 *
 * <p>Each sample's {@code count} comes from the sample type that counts events: for a type whose
 * unit is not {@code count}, the {@code count}-unit type sharing its prefix ({@code alloc_space} ←
 * {@code alloc_objects}), else the first {@code count}-unit type ({@code cpu} ← {@code samples},
 * {@code delay} ← {@code contentions}); without one every sample counts 1. Location addresses
 * become file-relative; locations without lines become synthetic {@code lib+0x…} functions. The
 * bytes are read by {@link PprofReader}.
 */
public final class PprofDecoder {
  private PprofDecoder() {}

  /** Decodes gzip or plain pprof bytes, reusing frames through {@link FrameCache#shared()}. */
  public static List<Profile> decode(byte[] data, PprofOptions options)
      throws ProfileDecodeException {
    return decode(data, options, FrameCache.shared());
  }

  /** Decodes gzip or plain pprof bytes, reusing frames through {@code cache}. */
  public static List<Profile> decode(byte[] data, PprofOptions options, FrameCache cache)
      throws ProfileDecodeException {
    byte[] plain = Gzip.maybeGunzip(data, options.maxDecompressedBytes());
    return new PprofReader(plain, options, cache).read();
  }

  /** Converts a parsed pprof message. */
  public static List<Profile> decode(PprofProto.Profile proto, PprofOptions options)
      throws ProfileDecodeException {
    return decode(proto.toByteArray(), options);
  }
}
