public class HearthHot {
  static long hearthHotJava(int n) {
    long s = 0;
    for (int i = 0; i < n; i++) {
      s += (long) i * i % 7;
    }
    return s;
  }

  public static void main(String[] args) throws Exception {
    long deadline = System.currentTimeMillis() + Long.parseLong(args[0]);
    long sink = 0;
    while (System.currentTimeMillis() < deadline) {
      sink += hearthHotJava(1_000_000);
    }
    System.out.println(sink % 2);
    Thread.sleep(4000); // the agent's last upload
  }
}
