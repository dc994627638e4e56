package dev.gmpsim.model;

import dev.gmpsim.protocol.result.RunOptions;
import dev.gmpsim.protocol.result.RunResult;
import dev.gmpsim.protocol.result.RunSummary;
import dev.gmpsim.protocol.scenario.RuntimeSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Turns a finished run's statistics into its {@link RunSummary}. */
final class Summaries {
  private Summaries() {}

  /** P time available over the measured window: GOMAXPROCS x time, as procresize changed it. */
  private static double procNs(RunContext run, long end, long measured) {
    if (run.stats.procsFrom.isEmpty()) {
      return (double) run.runtime.gomaxprocs() * measured;
    }
    long from = end - measured;
    double ns = 0;
    int procs = run.runtime.gomaxprocs();
    long t = from;
    for (java.util.Map.Entry<Long, Integer> e : run.stats.procsFrom.entrySet()) {
      if (e.getKey() > t) {
        ns += (double) procs * (Math.min(e.getKey(), end) - t);
        t = Math.min(e.getKey(), end);
      }
      procs = e.getValue();
    }
    return Math.max(1, ns + (double) procs * (end - t));
  }

  static RunResult result(RunContext run, Clock.Finished fin, String outcome, RunOptions options) {
    RunStats s = run.stats;
    Atomics a = run.atomics;
    long end = fin.virtualTimeNs();
    long measured = Math.max(1, end - run.scenario.warmup());
    double util = s.goRunNs() / procNs(run, end, measured);
    Map<String, RunSummary.SyscallRow> table = new LinkedHashMap<>();
    s.syscallTable().forEach((k, v) -> table.put(k, new RunSummary.SyscallRow(v[0], v[1], v[2])));
    boolean violated = outcome.startsWith("invariant-violated");
    RunSummary summary =
        new RunSummary(
            run.scenario.name(),
            Run.modelVersion(run.runtime),
            run.runtime.goVersion(),
            run.runtime.gomaxprocs(),
            outcome,
            run.scenario.seed(),
            end,
            new RunSummary.Window(s.windowed() ? run.scenario.warmup() : 0, end, s.threadsAtWarmup, s.gsAtWarmup),
            fin.events(),
            RunSummary.Threads.of(
                new RunSummary.Count(s.threadsPeak(), a.mcount, round(s.threadsMean(end))),
                new RunSummary.Count(
                    s.osThreadsPeak(), s.osThreadsNow(), round(s.osThreadsMean(end)))),
            new RunSummary.Ms(
                s.counter(Counter.MS_CREATED), a.nmidle, s.counter(Counter.MS_DESTROYED)),
            s.counter(Counter.RETAKES),
            s.counter(Counter.HANDOFFS),
            new RunSummary.Exitsyscall(
                s.counter(Counter.EXITSYSCALL_FAST), s.counter(Counter.EXITSYSCALL_SLOW)),
            s.counter(Counter.SYSCALLS),
            s.counter(Counter.CGO_CALLS),
            s.counter(Counter.CGO_OVERHEAD_NS),
            s.counter(Counter.VDSO_CALLS),
            round(Math.min(1.0, util)),
            percentiles(s.schedLatency),
            s.requestLatency.getTotalCount() == 0 ? null : percentiles(s.requestLatency),
            new RunSummary.Goroutines(s.counter(Counter.GS_CREATED), s.gsPeak, s.gsLive),
            new RunSummary.Scheduler(
                s.counter(Counter.PREEMPTIONS),
                s.counter(Counter.STEALS),
                s.counter(Counter.SPINNING_STARTS),
                s.counter(Counter.WAKEPS),
                s.counter(Counter.STARTMS),
                s.counter(Counter.STOPMS),
                s.counter(Counter.NETPOLL_NONBLOCKING),
                s.counter(Counter.NETPOLL_BLOCKING),
                s.counter(Counter.SYSMON_TICKS),
                s.counter(Counter.SYSMON_WAITS),
                s.counter(Counter.ENTERSYSCALLBLOCK),
                s.counter(Counter.LOCKED_MS_DESTROYED),
                s.counter(Counter.TEMPLATE_THREADS)),
            table,
            new RunSummary.Invariants(s.invariantChecks(), violated ? 1 : 0),
            RuntimeMetrics.of(run, s.schedLatency),
            settings(run, options),
            run.faults == null ? null : run.faults.report(),
            gc(run, measured),
            run.cpus == null ? null : run.cpus.summary(end - measured, end, run.hrtimers));
    return new RunResult(summary, s.schedtrace(), s.timeseries(), s.pstates(),
        run.events == null ? -1 : fin.events() - run.events.handledInPlace());
  }

  /** The gc block: null for runs without a garbage collector, so their summaries stay as they were. */
  private static RunSummary.Gc gc(RunContext run, long measured) {
    GcController gc = run.gc;
    if (gc == null) {
      return null;
    }
    long[] p = gc.pauses.stream().mapToLong(Long::longValue).sorted().toArray();
    long total = java.util.Arrays.stream(p).sum();
    double procNs = (double) run.atomics.gomaxprocs() * measured;
    return new RunSummary.Gc(
        gc.cycles,
        p.length,
        p.length == 0 ? 0 : p[(p.length - 1) / 2],
        p.length == 0 ? 0 : p[p.length - 1],
        total,
        round(Math.min(1.0, gc.cpuNs() / procNs)),
        gc.dedicatedNs,
        gc.fractionalNs,
        gc.idleNs,
        gc.assistNs,
        gc.allocated,
        gc.live,
        gc.goal == Long.MAX_VALUE ? 0 : gc.goal,
        gc.trigger == Long.MAX_VALUE ? 0 : gc.trigger,
        gc.gcPercent < 0 ? "off" : String.valueOf(gc.gcPercent),
        gc.memoryLimit == Long.MAX_VALUE ? null : gc.memoryLimit);
  }

  private static RunSummary.Settings settings(RunContext run, RunOptions o) {
    RuntimeSpec r = run.runtime;
    return new RunSummary.Settings(
        run.scenario.seed(),
        run.scenario.duration(),
        run.scenario.warmup(),
        o.schedtraceNs(),
        o.scheddetail(),
        run.stats.sampleEvery(),
        o.wallTimeoutNs(),
        o.goroutineLimit(),
        o.eventLimit(),
        r.goVersion(),
        r.cpus(),
        r.cgo() || run.scenario.usesCgo(),
        r.vdso(),
        r.retake().yaml(),
        r.retakeThreshold(),
        r.idleMs().yaml(),
        r.idleMsCap(),
        r.maxThreads());
  }

  private static RunSummary.Percentiles percentiles(Histogram h) {
    if (h.getTotalCount() == 0) {
      return new RunSummary.Percentiles(0, 0, 0, 0, 0, 0, 0);
    }
    return new RunSummary.Percentiles(
        h.getTotalCount(),
        h.getValueAtPercentile(50),
        h.getValueAtPercentile(90),
        h.getValueAtPercentile(99),
        h.getValueAtPercentile(99.9),
        h.getMaxValue(),
        round(h.getMean()));
  }

  private static double round(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }
}
