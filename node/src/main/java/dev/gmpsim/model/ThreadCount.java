package dev.gmpsim.model;

/**
 * One thread count over virtual time: its value now, its peak and its time-weighted mean from
 * the warm-up on. The run keeps two: schedtrace's {@code threads=} (mcount) and the OS's.
 */
final class ThreadCount {
  private final long warmup;
  private long peak;
  private double area;
  private long since;
  private int now;

  ThreadCount(long warmup) {
    this.warmup = warmup;
    this.since = warmup;
  }

  /** The count becomes {@code n} at {@code t}; peaks count from the warm-up on unless none yet. */
  void set(long t, int n, boolean inWindow) {
    if (t > since) {
      area += (double) now * (t - since);
      since = t;
    }
    now = n;
    if (inWindow) {
      peak = Math.max(peak, n);
    }
  }

  /** At the warm-up boundary the peak restarts from the count then. */
  void resetPeak() {
    peak = now;
  }

  int now() {
    return now;
  }

  long peak() {
    return peak;
  }

  double mean(long end) {
    double a = area + (double) now * Math.max(0, end - since);
    long span = end - warmup;
    return span <= 0 ? now : a / span;
  }
}
