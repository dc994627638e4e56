package dev.gmpsim.protocol.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * What one run produced, written as summary.json. Field order is fixed and every value is
 * computed from virtual time only, so the same scenario and seed give the same bytes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunSummary(
    String scenario,
    String modelVersion,
    String goVersion,
    int gomaxprocs,
    String outcome,
    long seed,
    long virtualTimeNs,
    Window window,
    long events,
    Threads threads,
    Ms ms,
    long retakes,
    long handoffs,
    Exitsyscall exitsyscall,
    long syscalls,
    long cgoCalls,
    long cgoOverheadNs,
    long vdsoCalls,
    double pUtilization,
    Percentiles schedLatencyNs,
    Percentiles requestLatencyNs,
    Goroutines goroutines,
    Scheduler scheduler,
    Map<String, SyscallRow> syscallTable,
    Invariants invariants,
    Map<String, RuntimeMetric> runtimeMetrics,
    Settings settings,
    List<FaultReport> faults,
    Gc gc,
    // The CPU model's figures: null, and left out of the JSON, when no machine is declared.
    @JsonInclude(JsonInclude.Include.NON_NULL) Cpu cpu) {

  /** A summary of a run without a garbage collector (no step allocates): no gc block. */
  public RunSummary(String scenario, String modelVersion, String goVersion, int gomaxprocs, String outcome,
      long seed, long virtualTimeNs, Window window, long events, Threads threads, Ms ms, long retakes,
      long handoffs, Exitsyscall exitsyscall, long syscalls, long cgoCalls, long cgoOverheadNs, long vdsoCalls,
      double pUtilization, Percentiles schedLatencyNs, Percentiles requestLatencyNs, Goroutines goroutines,
      Scheduler scheduler, Map<String, SyscallRow> syscallTable, Invariants invariants,
      Map<String, RuntimeMetric> runtimeMetrics, Settings settings, List<FaultReport> faults) {
    this(scenario, modelVersion, goVersion, gomaxprocs, outcome, seed, virtualTimeNs, window, events, threads, ms,
        retakes, handoffs, exitsyscall, syscalls, cgoCalls, cgoOverheadNs, vdsoCalls, pUtilization, schedLatencyNs,
        requestLatencyNs, goroutines, scheduler, syscallTable, invariants, runtimeMetrics, settings, faults, null, null);
  }

  /**
   * The garbage collector over the measured window (null when no step allocates): cycles that
   * ended in it, the stop-the-world pauses (sweep and mark termination, from stopTheWorld to
   * startTheWorld), and the GC's share of the Ps' time (mark workers, assists, and every P for the
   * length of each pause, as runtime.MemStats.GCCPUFraction counts it). {@code gogc} is "off" or
   * the percentage; {@code gomemlimitBytes} is null without a limit.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Gc(
      long cycles,
      long stwPauses,
      long stwPauseP50Ns,
      long stwPauseMaxNs,
      long stwPauseTotalNs,
      double cpuFraction,
      long markDedicatedNs,
      long markFractionalNs,
      long markIdleNs,
      long markAssistNs,
      long allocatedBytes,
      long liveHeapBytes,
      long lastHeapGoalBytes,
      long lastTriggerBytes,
      String gogc,
      Long gomemlimitBytes) {}

  /** The same summary with the CPU model's figures (null when no machine is declared). */
  public RunSummary withCpu(Cpu c) {
    return new RunSummary(scenario, modelVersion, goVersion, gomaxprocs, outcome, seed, virtualTimeNs, window, events,
        threads, ms, retakes, handoffs, exitsyscall, syscalls, cgoCalls, cgoOverheadNs, vdsoCalls, pUtilization,
        schedLatencyNs, requestLatencyNs, goroutines, scheduler, syscallTable, invariants, runtimeMetrics, settings,
        faults, gc, c);
  }

  /**
   * The CPU model's figures (docs/costs.md, "CPUs"): the machine's {@code cpus} and mean
   * {@code background} (CPUs), the fraction of the machine's CPU time the process's threads
   * ({@code process}) and everything ({@code utilisation}) used, and how long a thread that
   * became runnable waited for a CPU: over all {@code wakeups}, the share that waited, p50, p99
   * and max; and the kernel's timers ({@code timers}, docs/costs.md "Timers").
   */
  public record Cpu(
      int cpus,
      double background,
      double process,
      double utilisation,
      long wakeups,
      double waitedShare,
      long waitP50Ns,
      long waitP99Ns,
      long waitMaxNs,
      long preemptions,
      @JsonInclude(JsonInclude.Include.NON_NULL) Timers timers) {}

  /**
   * The kernel's timers: how many sleeps were {@code armed}, the share that expired before
   * their slack ran out ({@code cutShort}: another window's end fired them), and by how much on
   * average ({@code meanCutNs}).
   */
  public record Timers(long armed, double cutShort, long meanCutNs) {}

  /**
   * A runtime/metrics value at the end of the run, under the name a Go program reads it by
   * ({@code /sched/goroutines:goroutines}), with the Go version that added it: {@code value} for
   * a scalar, {@code buckets} (the non-empty ones, in seconds) for a histogram.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RuntimeMetric(String since, Long value, List<Bucket> buckets) {}

  /** A histogram bucket of runtime/metrics: [fromSeconds, toSeconds) held count samples. */
  public record Bucket(double fromSeconds, double toSeconds, long count) {}

  /**
   * One declared fault: what it is ({@code fault}: its name or description), how many times it
   * fired, and its first {@link #MAX_FIRINGS} firings. Null in summaries of runs without faults.
   */
  public record FaultReport(String fault, String kind, long fired, List<Firing> firings) {}

  /** A fault firing: virtual time, the actor, the message and what was done to it. */
  public record Firing(long atNs, String actor, String message, String action) {}

  /** Firings listed per fault. */
  public static final int MAX_FIRINGS = 100;

  /**
   * The stretch of virtual time the counters, peaks and latencies cover: from the end of the
   * warm-up to the end of the run. {@code atStart} is the state when the window opened.
   */
  public record Window(long fromNs, long toNs, long threadsAtStart, long goroutinesAtStart) {}

  /**
   * Everything that decided this result besides the scenario file: the run's options and the
   * runtime settings in effect after defaults, so that two summaries can be told apart.
   */
  public record Settings(
      long seed,
      long durationNs,
      long warmupNs,
      long schedtraceNs,
      boolean scheddetail,
      long sampleNs,
      long wallTimeoutNs,
      long maxGoroutines,
      long maxEvents,
      String goRules,
      int cpus,
      boolean cgo,
      boolean vdso,
      String retake,
      long retakeThresholdNs,
      String idleMs,
      int idleMsCap,
      int maxThreads) {}

  /**
   * Thread (M) counts. {@code peak}, {@code final} and {@code mean} are schedtrace's threads=
   * (mcount()), kept at the top so that existing sweeps and scripts read what they always read;
   * {@code schedtrace} repeats them and {@code os} is what /proc/PID/status and ps -L show.
   */
  public record Threads(long peak, long fin, double mean, Count schedtrace, Count os) {
    public static Threads of(Count schedtrace, Count os) {
      return new Threads(schedtrace.peak(), schedtrace.fin(), schedtrace.mean(), schedtrace, os);
    }

    @com.fasterxml.jackson.annotation.JsonProperty("final")
    public long fin() {
      return fin;
    }
  }

  /** One thread count: its peak, its value at the end and its time-weighted mean. */
  public record Count(long peak, long fin, double mean) {
    @com.fasterxml.jackson.annotation.JsonProperty("final")
    public long fin() {
      return fin;
    }
  }

  public record Ms(long created, long idle, long destroyed) {}

  public record Exitsyscall(long fast, long slow) {}

  /** Percentiles in virtual nanoseconds over {@code count} samples (the mean written rounded). */
  public record Percentiles(
      long count, long p50, long p90, long p99, long p999, long max,
      @com.fasterxml.jackson.databind.annotation.JsonSerialize(using = WholeNanos.class) double mean) {}

  public record Goroutines(long created, long peak, long fin) {
    @com.fasterxml.jackson.annotation.JsonProperty("final")
    public long fin() {
      return fin;
    }
  }

  /** Counters of the scheduler's inner mechanisms. */
  public record Scheduler(
      long preemptions,
      long steals,
      long spinningStarts,
      long wakeps,
      long startms,
      long stopms,
      long netpollsNonBlocking,
      long netpollsBlocking,
      long sysmonTicks,
      long sysmonWaits,
      long entersyscallblock,
      long lockedMsDestroyed,
      long templateThreads) {}

  /** One row of the strace -c-like table: calls and total virtual time in the kernel. */
  public record SyscallRow(long calls, long totalNs, long retaken) {}

  public record Invariants(long checked, long violations) {}
}
