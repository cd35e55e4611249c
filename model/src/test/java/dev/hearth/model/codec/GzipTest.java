package dev.hearth.model.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Decompression sized from the gzip trailer, and what happens when the trailer misleads. */
class GzipTest {
  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void singleMemberComesBackWhole() throws Exception {
    byte[] data = random(300_000, 1);
    assertThat(Gzip.maybeGunzip(Gzip.gzip(data), 1 << 20)).isEqualTo(data);
    assertThat(Gzip.maybeGunzip(Gzip.gzip(new byte[0]), 1 << 20)).isEmpty();
  }

  @Test
  void concatenatedMembersComeBackWhole() throws Exception {
    // The trailer's size names only the last member: the output must grow past it.
    byte[] a = random(200_000, 2);
    byte[] b = random(1_000, 3);
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    both.write(Gzip.gzip(a));
    both.write(Gzip.gzip(b));
    ByteArrayOutputStream want = new ByteArrayOutputStream();
    want.write(a);
    want.write(b);
    assertThat(Gzip.maybeGunzip(both.toByteArray(), 1 << 20)).isEqualTo(want.toByteArray());
  }

  @Test
  void aLyingTrailerDoesNotAllocateTheLimitAndTheLimitHolds() throws Exception {
    byte[] gz = Gzip.gzip(new byte[10]);
    // Claim 2 GiB.
    gz[gz.length - 1] = (byte) 0x7f;
    assertThatThrownBy(() -> Gzip.maybeGunzip(gz, 64L << 20))
        .isInstanceOf(ProfileDecodeException.class)
        .hasMessageContaining("corrupt");
    byte[] bomb = Gzip.gzip(new byte[3 << 20]);
    assertThatThrownBy(() -> Gzip.maybeGunzip(bomb, 1 << 20))
        .isInstanceOfSatisfying(
            ProfileDecodeException.class, e -> assertThat(e.tooLarge()).isTrue());
    assertThat(Gzip.maybeGunzip(bomb, 3 << 20)).hasSize(3 << 20);
  }
}
