package dev.hearth.agent.hotspot;

import java.nio.ByteBuffer;

/**
 * HotSpot's {@code CompressedReadStream} integers, as debug information stores them: before JDK 20
 * the original UNSIGNED5 (bytes below 192 end a number); since, UNSIGNED5 without zero bytes (every
 * byte offset by one, 191 ends a number), where a zero byte instead starts a run of zeros whose
 * length follows.
 */
final class CompressedInts {
  private static final int LG_H = 6;

  private final ByteBuffer b;
  private final boolean excludeZero;
  private int zeros;

  CompressedInts(ByteBuffer b, boolean excludeZero) {
    this.b = b;
    this.excludeZero = excludeZero;
  }

  /** The next number, or 0 past the end. */
  int next() {
    if (zeros > 0) {
      zeros--;
      return 0;
    }
    if (!b.hasRemaining()) {
      return 0;
    }
    int x = excludeZero ? 1 : 0;
    int l = 256 - 64 - x;
    int b0 = b.get() & 0xff;
    if (excludeZero && b0 == 0) {
      zeros = b.hasRemaining() ? (b.get() & 0xff) - 1 : 0;
      return 0;
    }
    int sum = b0 - x;
    if (sum < l) {
      return sum;
    }
    int shift = LG_H;
    for (int i = 1; i < 5 && b.hasRemaining(); i++) {
      int bi = b.get() & 0xff;
      sum += (bi - x) << shift;
      if (bi - x < l) {
        break;
      }
      shift += LG_H;
    }
    return sum;
  }
}
