package dev.gmpsim.model;

import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The run's statistics: counters, latency histograms, the time-weighted thread count, the time
 * series and the invariant checks. Actors write to it as they go (the clock runs one actor at a
 * time); it is an observer and never feeds back into the model. Everything before the warm-up
 * time is left out of the statistics.
 */
public final class RunStats {
  private static final long MAX_LATENCY = 3_600_000_000_000L;

  final Atomics atomics;
  private final long warmup;
  private final long sampleEvery;
  private final long[] counters = new long[Counter.values().length];
  private long[] atWarmup;
  // Looked up on every syscall: a hash map here, sorted by name when the summary reads it.
  private final Map<String, long[]> syscallTable = new java.util.HashMap<>();
  final Histogram schedLatency = new Histogram(MAX_LATENCY, 3);
  final Histogram requestLatency = new Histogram(MAX_LATENCY, 3);
  private final long[] where = new long[G.Where.values().length];

  // Threads (mcount) over time.
  private long threadsPeak;
  private double threadsArea;
  private long threadsSince;
  private int threadsNow;

  // Goroutines.
  long gsLive;
  long gsPeak;

  // The state when the warm-up ended (0 without a warm-up).
  long threadsAtWarmup;
  long gsAtWarmup;

  private double goRunNs;
  private int msAlive;
  private String violation;
  private String error;
  private long invariantChecks;
  private long nextSample;
  private final StringBuilder timeseries = new StringBuilder();
  private final StringBuilder schedtrace = new StringBuilder();
  private java.util.function.LongPredicate invariantCheck = t -> true;

  RunStats(Atomics atomics, long warmup, long sampleEvery) {
    this.atomics = atomics;
    this.warmup = warmup;
    this.sampleEvery = sampleEvery;
    this.threadsSince = warmup;
    timeseries.append(
        "time_ns,threads,idle_threads,spinning_threads,idle_ps,global_runq,local_runq,"
            + "ms_in_syscall,gs_netpoll,goroutines\n");
  }

  /** True once the warm-up has ended and the figures were reset: they cover only what followed. */
  boolean windowed() {
    return atWarmup != null;
  }

  long sampleEvery() {
    return sampleEvery;
  }

  void setInvariantCheck(java.util.function.LongPredicate check) {
    this.invariantCheck = check;
  }

  void count(Counter c) {
    counters[c.ordinal()]++;
  }

  void count(Counter c, long n) {
    counters[c.ordinal()] += n;
  }

  public long counter(Counter c) {
    long v = counters[c.ordinal()];
    return atWarmup == null ? v : v - atWarmup[c.ordinal()];
  }

  /** One kernel call of {@code name} that lasted {@code ns}. */
  void syscall(String name, long ns) {
    long[] row = syscallTable.computeIfAbsent(name, k -> new long[3]);
    row[0]++;
    row[1] += ns;
  }

  void retakenIn(String name) {
    syscallTable.computeIfAbsent(name, k -> new long[3])[2]++;
  }

  Map<String, long[]> syscallTable() {
    return new TreeMap<>(syscallTable);
  }

  void schedLatency(long now, long ns) {
    if (now >= warmup) {
      schedLatency.recordValue(Math.max(0, Math.min(ns, MAX_LATENCY)));
    }
  }

  void requestLatency(long now, long ns) {
    if (now >= warmup) {
      requestLatency.recordValue(Math.max(0, Math.min(ns, MAX_LATENCY)));
    }
  }

  /** Go code ran on some P over [from, to). */
  /** GOMAXPROCS from each time procresize changed it (a gomaxprocs fault); empty otherwise. */
  final java.util.TreeMap<Long, Integer> procsFrom = new java.util.TreeMap<>();

  void ranGo(long from, long to) {
    long a = Math.max(from, warmup);
    if (to > a) {
      goRunNs += to - a;
    }
  }

  double goRunNs() {
    return goRunNs;
  }

  void placed(G.Where w, int delta) {
    where[w.ordinal()] += delta;
  }

  long in(G.Where w) {
    return where[w.ordinal()];
  }

  /** Sched calls this whenever mcount changes. */
  void threads(long now, int mcount) {
    if (now > threadsSince) {
      threadsArea += (double) threadsNow * (now - threadsSince);
      threadsSince = now;
    }
    threadsNow = mcount;
    if (now >= warmup || atWarmup == null) {
      threadsPeak = Math.max(threadsPeak, mcount);
    }
  }

  long threadsPeak() {
    return threadsPeak;
  }

  double threadsMean(long end) {
    double area = threadsArea + (double) threadsNow * Math.max(0, end - threadsSince);
    long span = end - warmup;
    return span <= 0 ? threadsNow : area / span;
  }

  int threadsNow() {
    return threadsNow;
  }

  /** M actors alive (plus sysmon, counted by the run): must equal mcount. */
  void mAlive(int delta) {
    msAlive += delta;
  }

  int msAlive() {
    return msAlive;
  }

  void goroutineCreated() {
    count(Counter.GS_CREATED);
    gsLive++;
    gsPeak = Math.max(gsPeak, gsLive);
  }

  void goroutineExited() {
    count(Counter.GS_EXITED);
    gsLive--;
  }

  void violation(String what) {
    if (violation == null) {
      violation = what;
    }
  }

  void error(String what) {
    if (error == null) {
      error = what;
    }
  }

  String violationOutcome() {
    if (error != null) {
      return "error: " + error;
    }
    return violation == null ? null : "invariant-violated: " + violation;
  }

  long invariantChecks() {
    return invariantChecks;
  }

  long violations() {
    return violation == null ? 0 : 1;
  }

  void schedtraceLine(String line) {
    schedtrace.append(line).append('\n');
  }

  String schedtrace() {
    return schedtrace.toString();
  }

  String timeseries() {
    return timeseries.toString();
  }

  /**
   * Called by the clock before virtual time moves to {@code t}: writes the samples that fall
   * before it, resets statistics at the warm-up boundary and checks the invariants.
   */
  void sampleUntil(long t, boolean last) {
    if (atWarmup == null && (t > warmup || (last && t >= warmup)) && warmup > 0) {
      atWarmup = counters.clone();
      syscallTable.clear();
      schedLatency.reset();
      requestLatency.reset();
      threadsPeak = threadsNow;
      // Peaks are of the window, like every other figure; the state at its start is kept.
      gsPeak = gsLive;
      threadsAtWarmup = threadsNow;
      gsAtWarmup = gsLive;
    }
    while (nextSample < t || (last && nextSample <= t)) {
      sample(nextSample);
      nextSample += sampleEvery;
    }
  }

  private void sample(long at) {
    invariantChecks++;
    invariantCheck.test(at);
    Atomics a = atomics;
    timeseries
        .append(at).append(',')
        .append(threadsNow).append(',')
        .append(a.nmidle).append(',')
        .append(a.nmspinning).append(',')
        .append(a.npidle).append(',')
        .append(a.runqsize).append(',')
        .append(a.localRunq()).append(',')
        .append(a.msInSyscall).append(',')
        .append(a.netpollWaiters).append(',')
        .append(gsLive).append('\n');
  }
}
