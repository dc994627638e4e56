package dev.gmpsim.cli;

import dev.gmpsim.protocol.result.RunSummary;
import java.util.Locale;
import java.util.Map;

/** The summary a person reads after a run. */
final class HumanSummary {
  private HumanSummary() {}

  static String format(RunSummary s) {
    StringBuilder b = new StringBuilder();
    line(b, "scenario", s.scenario() + " (go " + s.goVersion() + " rules, GOMAXPROCS=" + s.gomaxprocs() + ", seed " + s.seed() + ")");
    line(b, "outcome", s.outcome());
    line(b, "virtual time", ms(s.virtualTimeNs()) + " in " + s.events() + " events");
    RunSummary.Window w = s.window();
    if (w != null && w.fromNs() > 0) {
      // Counts, peaks and latencies below leave the warm-up out: say so, and where it ended.
      line(b, "window", ms(w.fromNs()) + " to " + ms(w.toNs()) + ": every figure below is after the "
          + shortDuration(w.fromNs()) + " warm-up");
      line(b, "", "(when it ended: " + w.threadsAtStart() + " threads, " + w.goroutinesAtStart() + " goroutines)");
    } else if (w != null && s.settings() != null && s.settings().warmupNs() > 0) {
      line(b, "window", "the run ended before its " + shortDuration(s.settings().warmupNs())
          + " warm-up: every figure below covers the whole run");
    }
    line(b, "threads", count(s.threads().schedtrace()) + " (schedtrace's threads=)");
    if (s.threads().os() != null) {
      line(b, "OS threads", count(s.threads().os()) + " (/proc/PID/status, ps -L)");
    }
    line(b, "Ms", s.ms().created() + " created by newm, " + s.ms().idle() + " idle at the end, "
        + s.ms().destroyed() + " destroyed");
    line(b, "syscalls", s.syscalls() + " (" + s.cgoCalls() + " cgo calls, " + s.vdsoCalls() + " VDSO calls)");
    line(b, "retakes", s.retakes() + " retakes, " + s.handoffs() + " handoffs");
    line(b, "exitsyscall", s.exitsyscall().fast() + " fast, " + s.exitsyscall().slow() + " slow");
    line(b, "P utilization", String.format(Locale.ROOT, "%.1f%%", 100 * s.pUtilization()));
    if (s.cpu() != null) {
      RunSummary.Cpu c = s.cpu();
      line(b, "CPUs", String.format(Locale.ROOT,
          "%d (background %s): %.1f%% busy, %.1f%% by the process; %.1f%% of %d wake-ups waited for one,"
              + " wait p50 %s p99 %s max %s",
          c.cpus(), trim(c.background()), 100 * c.utilisation(), 100 * c.process(), 100 * c.waitedShare(),
          c.wakeups(), us(c.waitP50Ns()), us(c.waitP99Ns()), us(c.waitMaxNs())));
      if (c.timers() != null && c.timers().armed() > 0) {
        line(b, "kernel timers", String.format(Locale.ROOT,
            "%d sleeps; %.1f%% expired before their slack ran out, %s early on average",
            c.timers().armed(), 100 * c.timers().cutShort(), us(c.timers().meanCutNs())));
      }
    }
    line(b, "sched latency", pct(s.schedLatencyNs()));
    if (s.requestLatencyNs() != null) {
      line(b, "request latency", pct(s.requestLatencyNs()));
    }
    line(b, "goroutines", s.goroutines().created() + " created, peak " + s.goroutines().peak()
        + ", " + s.goroutines().fin() + " at the end");
    if (s.gc() != null) {
      RunSummary.Gc g = s.gc();
      // As gctrace reports a cycle: its count, the stop-the-world pauses and the GC's CPU share.
      line(b, "GC", g.cycles() + " cycles (GOGC=" + g.gogc()
          + (g.gomemlimitBytes() == null ? "" : ", GOMEMLIMIT=" + g.gomemlimitBytes() + "B")
          + "), " + g.stwPauses() + " stop-the-world pauses p50 " + us(g.stwPauseP50Ns()) + ", max "
          + us(g.stwPauseMaxNs()) + ", GC CPU " + String.format(Locale.ROOT, "%.1f%%", 100 * g.cpuFraction()));
    }
    line(b, "invariants", s.invariants().checked() + " checks, " + s.invariants().violations() + " violations");
    if (s.faults() != null) {
      // One line per declared fault: how often it fired, and when first and last (of those listed).
      for (RunSummary.FaultReport f : s.faults()) {
        String when = f.firings().isEmpty() ? "" : f.fired() == 1
            ? " at " + ms(f.firings().get(0).atNs())
            : ", first at " + ms(f.firings().get(0).atNs());
        line(b, "fault", f.fault() + ": fired " + f.fired() + (f.fired() == 1 ? " time" : " times") + when);
      }
    }
    if (!s.syscallTable().isEmpty()) {
      b.append(String.format(Locale.ROOT, "%n%-16s %12s %14s %10s%n", "syscall", "calls", "kernel time", "retaken"));
      for (Map.Entry<String, RunSummary.SyscallRow> e : s.syscallTable().entrySet()) {
        b.append(String.format(Locale.ROOT, "%-16s %12d %14s %10d%n", e.getKey(), e.getValue().calls(),
            ms(e.getValue().totalNs()), e.getValue().retaken()));
      }
    }
    return b.toString();
  }

  private static void line(StringBuilder b, String k, String v) {
    b.append(String.format(Locale.ROOT, "%-16s %s%n", k, v));
  }

  /** 500ms, 2s, 1.5s: a warm-up's length as a person writes it. */
  static String shortDuration(long ns) {
    if (ns % 1_000_000_000L == 0) {
      return ns / 1_000_000_000L + "s";
    }
    if (ns % 1_000_000L == 0) {
      return ns / 1_000_000L + "ms";
    }
    return ms(ns);
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  static String ms(long ns) {
    return String.format(Locale.ROOT, "%.3fms", ns / 1e6);
  }

  private static String pct(RunSummary.Percentiles p) {
    if (p.count() == 0) {
      return "no samples";
    }
    return "p50 " + us(p.p50()) + ", p99 " + us(p.p99()) + ", max " + us(p.max()) + " (" + p.count() + (p.count() == 1 ? " sample)" : " samples)");
  }

  static String us(long ns) {
    return ns >= 1_000_000 ? String.format(Locale.ROOT, "%.2fms", ns / 1e6)
        : String.format(Locale.ROOT, "%.1fus", ns / 1e3);
  }

  private static String count(RunSummary.Count c) {
    return "peak " + c.peak() + ", final " + c.fin() + ", mean "
        + String.format(Locale.ROOT, "%.1f", c.mean());
  }
}
