package dev.hearth.model.codec.jfr;

import dev.hearth.model.Profile;
import dev.hearth.model.codec.Gzip;
import dev.hearth.model.codec.ProfileDecodeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a JDK Flight Recorder recording (JDK or async-profiler, plain or gzip) into one {@link
 * Profile} per profile type it has samples for, named as Pyroscope names them ({@link
 * JfrProfileTypes}).
 *
 * <table>
 *   <caption>Events and the profile types they become</caption>
 *   <tr><th>JFR event</th><th>profile types</th><th>value per event</th></tr>
 *   <tr><td>{@code jdk.ExecutionSample}</td><td>{@code process_cpu:cpu:nanoseconds:cpu:nanoseconds}
 *       </td><td>the sampling period</td></tr>
 *   <tr><td>{@code jdk.ObjectAllocationInNewTLAB}</td><td>{@code
 *       memory:alloc_in_new_tlab_objects:count:space:bytes}, {@code
 *       memory:alloc_in_new_tlab_bytes:bytes:space:bytes}</td><td>1, {@code tlabSize}</td></tr>
 *   <tr><td>{@code jdk.ObjectAllocationOutsideTLAB}</td><td>{@code
 *       memory:alloc_outside_tlab_objects:count:space:bytes}, {@code
 *       memory:alloc_outside_tlab_bytes:bytes:space:bytes}</td><td>1, {@code allocationSize}</td>
 *       </tr>
 *   <tr><td>{@code jdk.ObjectAllocationSample}</td><td>{@code
 *       memory:alloc_sample_objects:count:space:bytes}, {@code
 *       memory:alloc_sample_bytes:bytes:space:bytes}</td><td>1, {@code weight}</td></tr>
 *   <tr><td>{@code jdk.JavaMonitorEnter}</td><td>{@code mutex:contentions:count:mutex:count},
 *       {@code mutex:delay:nanoseconds:mutex:count}</td><td>1, {@code duration}</td></tr>
 *   <tr><td>{@code jdk.ThreadPark}</td><td>{@code block:contentions:count:block:count}, {@code
 *       block:delay:nanoseconds:block:count}</td><td>1, {@code duration}</td></tr>
 *   <tr><td>{@code profiler.WallClockSample}; execution samples of async-profiler in {@code
 *       event=wall} mode; optionally {@code jdk.NativeMethodSample}</td><td>{@code
 *       wall:wall:nanoseconds:wall:nanoseconds}</td><td>samples × the wall period</td></tr>
 * </table>
 *
 * <p>The CPU period is the recording's own {@code jdk.ExecutionSample} period (or async-profiler's
 * {@code interval}) when it recorded {@code jdk.ActiveSetting}, else {@link
 * JfrOptions#fallbackPeriodNanos()}. As in Pyroscope, execution samples async-profiler marks {@code
 * STATE_SLEEPING} are not CPU time, and events without a stack trace are skipped.
 *
 * <p>Samples with the same stack, thread, context and second are summed; a sample's timestamp is
 * that second, and its count is how many events (or samples) it sums. Every profile spans the
 * recording (first chunk start to last chunk end, widened to the events it holds), is {@link
 * dev.hearth.model.Temporality#DELTA} and has no labels: ingest adds the service's. A recording
 * with none of these events gives an empty list.
 */
public final class JfrDecoder {
  private JfrDecoder() {}

  /**
   * Decodes a recording held in memory. The JDK's parser reads only files, so the bytes go to a
   * temporary file (owner-only permissions) that is deleted before this returns.
   *
   * @throws ProfileDecodeException when the data is not a JFR recording or is corrupt, or {@link
   *     ProfileDecodeException#tooLarge()} beyond {@link JfrOptions#maxDecompressedBytes()}
   */
  public static List<Profile> decode(byte[] data, JfrOptions options)
      throws ProfileDecodeException {
    byte[] plain = Gzip.maybeGunzip(data, options.maxDecompressedBytes());
    if (plain.length == 0) {
      throw new ProfileDecodeException("JFR recording is empty");
    }
    if (!ChunkHeaders.hasMagic(plain)) {
      throw new ProfileDecodeException(
          "not a JFR recording: the data does not start with the 'FLR' chunk magic");
    }
    Path file = null;
    try {
      file = Files.createTempFile("hearth-", ".jfr");
      Files.write(file, plain);
      return decodeFile(file, options);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a temporary JFR file", e);
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          file.toFile().deleteOnExit();
        }
      }
    }
  }

  /**
   * Decodes a recording file, plain or gzip.
   *
   * @throws IOException when the file cannot be opened or read
   * @throws ProfileDecodeException when it is not a JFR recording or is corrupt
   */
  public static List<Profile> decode(Path file, JfrOptions options)
      throws IOException, ProfileDecodeException {
    byte[] head = new byte[2];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, 2);
    }
    if (n == 2 && Gzip.isGzip(head)) {
      return decode(Files.readAllBytes(file), options);
    }
    return decodeFile(file, options);
  }

  private static List<Profile> decodeFile(Path file, JfrOptions options)
      throws IOException, ProfileDecodeException {
    ChunkHeaders.Span span = ChunkHeaders.read(file);
    RecordingReader reader = new RecordingReader(options);
    try {
      reader.readEvents(file);
    } catch (IOException | RuntimeException e) {
      // The JDK's parser reports a truncated or corrupt file with IOExceptions (EOFException,
      // "Not a Flight Recorder file") or, deeper in a chunk, with runtime exceptions.
      throw new ProfileDecodeException("JFR recording is corrupt: " + describe(e), e);
    }
    return reader.build(span);
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    String type = e.getClass().getSimpleName();
    return message == null || message.isBlank() ? type : type + ": " + message;
  }
}
