package dev.hearth.ingest;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A cap on the bytes of requests being processed at once. A request takes a {@link Permit} for its
 * body before reading it and grows it by its decompressed size; past the cap it is refused with
 * {@link IngestException.Kind#OVERLOADED}, so memory stays bounded whatever clients send.
 */
public final class InFlightBytes {
  /** Seconds a refused client is told to wait. */
  public static final int RETRY_AFTER_SECONDS = 1;

  private final long cap;
  private final AtomicLong used = new AtomicLong();

  public InFlightBytes(long cap) {
    this.cap = cap;
  }

  /** Bytes held now. */
  public long used() {
    return used.get();
  }

  /** Takes {@code bytes}, or throws {@link IngestException.Kind#OVERLOADED}. */
  public Permit acquire(long bytes) {
    Permit p = new Permit();
    p.grow(bytes);
    return p;
  }

  /** Takes {@code bytes} unless that passes the cap while others ({@code now > own}) hold some. */
  private boolean tryTake(long bytes, long own) {
    while (true) {
      long now = used.get();
      if (now + bytes > cap && now > own) {
        return false;
      }
      if (used.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  /** Bytes one request holds; closing it gives them back (idempotent). */
  public final class Permit implements AutoCloseable {
    private long held;
    private boolean closed;

    /** Takes {@code bytes} more, or throws {@link IngestException.Kind#OVERLOADED}. */
    public synchronized void grow(long bytes) {
      if (bytes <= 0 || closed) {
        return;
      }
      if (!tryTake(bytes, held)) {
        throw new IngestException(
            IngestException.Kind.OVERLOADED,
            "overloaded",
            "the server is at its in-flight ingest limit of "
                + cap
                + " bytes; retry in "
                + RETRY_AFTER_SECONDS
                + "s");
      }
      held += bytes;
    }

    /** Bytes this permit holds now. */
    public synchronized long held() {
      return held;
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        used.addAndGet(-held);
        held = 0;
      }
    }
  }
}
