/**
 * Test workload for the JIT-frame path: main -> a -> b -> hot, none inlined (the test passes
 * -XX:CompileCommand=dontinline,Chain::*), run with -XX:+PreserveFramePointer for the seconds given.
 */
public class Chain {
  static volatile long sink;

  static void hot() {
    long x = sink;
    for (int i = 0; i < 1_000_000; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
    }
    sink = x;
  }

  static void b() {
    hot();
  }

  static void a() {
    b();
  }

  public static void main(String[] args) {
    long end = System.nanoTime() + (long) (Double.parseDouble(args[0]) * 1e9);
    while (System.nanoTime() < end) {
      a();
    }
  }
}
