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
  static final long MAX_LATENCY = 3_600_000_000_000L;

  /**
   * A latency histogram (3 digits, 1ns units, values clamped to an hour by the caller) that grows
   * to the largest value recorded: the same buckets as one sized for an hour up front, without
   * allocating and scanning its 33,792 counts in every run (a short run's summary was a third of
   * its cost).
   */
  static Histogram latencies() {
    Histogram h = new Histogram(3);
    h.setAutoResize(true);
    return h;
  }

  final Atomics atomics;
  private final long warmup;
  private final long sampleEvery;
  private final long[] counters = new long[Counter.values().length];
  private long[] atWarmup;
  // Looked up on every syscall: a hash map here, sorted by name when the summary reads it.
  private final Map<String, long[]> syscallTable = new java.util.HashMap<>();
  final Histogram schedLatency = latencies();
  final Histogram requestLatency = latencies();
  private final long[] where = new long[G.Where.values().length];

  // Threads over time: schedtrace's mcount, and the OS's (mcount without the cgo extra M, which
  // has no thread until C calls into Go, plus a wedged m0, which schedtrace no longer counts).
  private final ThreadCount threads;
  private final ThreadCount osThreads;
  private int osMinusMcount;

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
  /** P states at the same samples, for pictures (not part of timeseries.csv, whose bytes stay). */
  private final StringBuilder pstates = new StringBuilder("time_ns,running_ps,syscall_ps\n");
  private final StringBuilder schedtrace = new StringBuilder();
  private java.util.function.LongPredicate invariantCheck = t -> true;

  RunStats(Atomics atomics, long warmup, long sampleEvery) {
    this.atomics = atomics;
    this.warmup = warmup;
    this.sampleEvery = sampleEvery;
    this.threads = new ThreadCount(warmup);
    this.osThreads = new ThreadCount(warmup);
    timeseries.append(
        "time_ns,threads,idle_threads,spinning_threads,idle_ps,global_runq,local_runq,"
            + "ms_in_syscall,gs_netpoll,goroutines,threads_os\n");
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

  /** More kernel time of a call counted already: a sleep's end, known when its timer expires. */
  void syscallTime(String name, long ns) {
    syscallTable.computeIfAbsent(name, k -> new long[3])[1] += ns;
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
    boolean inWindow = now >= warmup || atWarmup == null;
    threads.set(now, mcount, inWindow);
    osThreads.set(now, mcount + osMinusMcount, inWindow);
  }

  /**
   * Sched calls this when a thread's OS existence and schedtrace's count part ways: -1 for the
   * extra M of a cgo binary (counted, no thread), +1 when m0 wedges (thread kept, not counted).
   */
  void osThreadsDiffer(long now, int delta) {
    osMinusMcount += delta;
    threads(now, threads.now());
  }

  long threadsPeak() {
    return threads.peak();
  }

  double threadsMean(long end) {
    return threads.mean(end);
  }

  int threadsNow() {
    return threads.now();
  }

  long osThreadsPeak() {
    return osThreads.peak();
  }

  double osThreadsMean(long end) {
    return osThreads.mean(end);
  }

  int osThreadsNow() {
    return osThreads.now();
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

  String pstates() {
    return pstates.toString();
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
      threads.resetPeak();
      osThreads.resetPeak();
      // Peaks are of the window, like every other figure; the state at its start is kept.
      gsPeak = gsLive;
      threadsAtWarmup = threads.now();
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
        .append(threads.now()).append(',')
        .append(a.nmidle).append(',')
        .append(a.nmspinning).append(',')
        .append(a.npidle).append(',')
        .append(a.runqsize).append(',')
        .append(a.localRunq()).append(',')
        .append(a.msInSyscall).append(',')
        .append(a.netpollWaiters).append(',')
        .append(gsLive).append(',')
        .append(osThreads.now()).append('\n');
    int running = 0;
    int insyscall = 0;
    for (int st : a.pStatus) {
      running += st == P._Prunning ? 1 : 0;
      insyscall += st == P._Psyscall ? 1 : 0;
    }
    pstates.append(at).append(',').append(running).append(',').append(insyscall).append('\n');
  }
}
