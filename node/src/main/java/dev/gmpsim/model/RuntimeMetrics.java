package dev.gmpsim.model;

import dev.gmpsim.protocol.result.RunSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The runtime/metrics values a Go program would read at the end of the run (what dashboards
 * scrape: Prometheus' go_sched_* and go_goroutines), computed as runtime/metrics.go computes
 * them, for the metrics the run's Go version has. Gauges are the state at the end; the
 * latency histogram covers the run's window, in the runtime's own bucket boundaries.
 */
final class RuntimeMetrics {
  /** Background goroutines runtime.main starts (forcegc, bgsweep, bgscavenge, runfinq). */
  static final int SYSTEM_GOROUTINES = 4;

  private RuntimeMetrics() {}

  static Map<String, RunSummary.RuntimeMetric> of(RunContext run, Histogram schedLatency) {
    Atomics a = run.atomics;
    RunStats s = run.stats;
    int minor = run.goMinor;
    Map<String, RunSummary.RuntimeMetric> m = new LinkedHashMap<>();
    m.put("/sched/gomaxprocs:threads", scalar("1.16", a.gomaxprocs()));
    // Up to Go 1.25 gcount() leaves the system goroutines out; 1.26's gcount(true) counts them.
    long live = s.gsLive;
    m.put("/sched/goroutines:goroutines", scalar("1.16", minor >= 26 ? live : live - SYSTEM_GOROUTINES));
    m.put("/sched/latencies:seconds", new RunSummary.RuntimeMetric("1.17", null, buckets(schedLatency)));
    if (minor >= 26) {
      // schedStatsAggregate.compute: running and not-in-go from the Ps (a P wired to a thread in
      // a syscall counts as not-in-go) plus the syscalls without a P; runnable from the queues;
      // waiting is the rest.
      long running = 0;
      for (MView v : run.ms) {
        if (!v.dead && "running".equals(v.state) && v.curg >= 0) {
          running++;
        }
      }
      long notInGo = a.msInSyscall;
      long runnable = a.runqsize + a.localRunq();
      for (boolean next : a.pRunnext) {
        runnable += next ? 1 : 0;
      }
      // The model starts each group from a launcher goroutine of its own, which a Go program
      // would not have: left out of the count.
      long launchers = run.scenario.workload().size();
      m.put("/sched/goroutines-created:goroutines",
          scalar("1.26", s.counter(Counter.GS_CREATED) - launchers));
      m.put("/sched/goroutines/not-in-go:goroutines", scalar("1.26", notInGo));
      m.put("/sched/goroutines/runnable:goroutines", scalar("1.26", runnable));
      m.put("/sched/goroutines/running:goroutines", scalar("1.26", running));
      m.put("/sched/goroutines/waiting:goroutines",
          scalar("1.26", Math.max(0, live - running - runnable - notInGo)));
      // mcount() less the extra Ms, which are threads of C, not of the Go runtime.
      boolean cgo = run.runtime.cgo() || run.scenario.usesCgo();
      m.put("/sched/threads/total:threads", scalar("1.26", a.mcount - (cgo ? 1 : 0)));
    }
    return m;
  }

  private static RunSummary.RuntimeMetric scalar(String since, long v) {
    return new RunSummary.RuntimeMetric(since, v, null);
  }

  /**
   * The runtime's time histogram (histogram.go): below 256ns four buckets of 64ns, then each
   * power of two from 256ns to 2^47ns split into four. Only the non-empty buckets are listed;
   * the model's samples come from an HdrHistogram (3 digits), so a sample within 0.1% of a
   * boundary may land in the neighbouring bucket.
   */
  static List<RunSummary.Bucket> buckets(Histogram h) {
    long[] counts = new long[(MAX_BITS - MIN_BITS + 1) * SUBS + 1]; // the last one: overflow
    for (HistogramIterationValue v : h.recordedValues()) {
      counts[bucket(v.getValueIteratedTo())] += v.getCountAddedInThisIterationStep();
    }
    List<RunSummary.Bucket> out = new ArrayList<>();
    for (int b = 0; b < counts.length; b++) {
      if (counts[b] != 0) {
        out.add(new RunSummary.Bucket(lower(b) / 1e9, lower(b + 1) / 1e9, counts[b]));
      }
    }
    return out;
  }

  private static final int MIN_BITS = 9;
  private static final int MAX_BITS = 48;
  private static final int SUB_BITS = 2;
  private static final int SUBS = 1 << SUB_BITS;

  /** The bucket index of {@code ns}, as timeHistogram.record finds it. */
  static int bucket(long ns) {
    int bits = 64 - Long.numberOfLeadingZeros(ns);
    if (bits >= MAX_BITS) {
      return (MAX_BITS - MIN_BITS + 1) * SUBS; // overflow
    }
    if (bits < MIN_BITS) {
      return (int) (ns >> (MIN_BITS - 1 - SUB_BITS));
    }
    int sub = (int) ((ns >> (bits - 1 - SUB_BITS)) & (SUBS - 1));
    return (bits - MIN_BITS + 1) * SUBS + sub;
  }

  /** The lower bound in nanoseconds of bucket {@code b}. */
  static long lower(int b) {
    if (b < SUBS) {
      return (long) b << (MIN_BITS - 1 - SUB_BITS);
    }
    int i = b / SUBS + MIN_BITS - 1;
    int j = b % SUBS;
    if (i >= MAX_BITS) {
      return 1L << (MAX_BITS - 1);
    }
    return (1L << (i - 1)) | ((long) j << (i - 1 - SUB_BITS));
  }
}
