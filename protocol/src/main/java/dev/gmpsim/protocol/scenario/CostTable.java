package dev.gmpsim.protocol.scenario;


/**
 * What each step of the runtime costs, as distributions of virtual nanoseconds. Every field has a default taken
 * from measurements (see docs/costs.md for where each number comes from); a scenario overrides
 * any of them under {@code runtime.costs} with a duration or a distribution
 * ({@code clone: 40us}, {@code futex-wake: lognormal(5us, 20us)}).
 */
public record CostTable(
    Dist syscall,
    Dist entersyscall,
    Dist exitsyscallfast,
    Dist exitsyscall0,
    @com.fasterxml.jackson.annotation.JsonProperty("clone") Dist newm,
    Dist futexWake,
    Dist futexPark,
    Dist cgoCall,
    Dist vdso,
    Dist vdsoFallback,
    Dist contextSwitch,
    Dist timerSlack,
    Dist syscallWakeup,
    Dist netpoll,
    Dist schedule,
    Dist steal,
    Dist newproc,
    Dist gopark,
    Dist netSyscall,
    // The garbage collector's costs (docs/gc.md): null unless set, and then left out of the JSON
    // so run ids stay as they were; read them through the methods below, which apply defaults.
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Dist gcSweepTermination,
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Dist gcMarkTermination,
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Dist gcMarkPerMb,
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Dist gcPreempt,
    // With a machine (docs/costs.md, "Timers"): from a kernel timer's expiry until its thread runs.
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Dist timerWakeup,
    // startlockedm: a P handed to a locked goroutine's own M, until that M runs.
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Dist lockedmWake) {

  public CostTable(Dist syscall, Dist entersyscall, Dist exitsyscallfast, Dist exitsyscall0, Dist newm,
      Dist futexWake, Dist futexPark, Dist cgoCall, Dist vdso, Dist vdsoFallback, Dist contextSwitch,
      Dist timerSlack, Dist syscallWakeup, Dist netpoll, Dist schedule, Dist steal, Dist newproc, Dist gopark,
      Dist netSyscall) {
    this(syscall, entersyscall, exitsyscallfast, exitsyscall0, newm, futexWake, futexPark, cgoCall, vdso,
        vdsoFallback, contextSwitch, timerSlack, syscallWakeup, netpoll, schedule, steal, newproc, gopark,
        netSyscall, null, null, null, null);
  }

  /** The same with the garbage collector's costs (the table before timer-wakeup). */
  public CostTable(Dist syscall, Dist entersyscall, Dist exitsyscallfast, Dist exitsyscall0, Dist newm,
      Dist futexWake, Dist futexPark, Dist cgoCall, Dist vdso, Dist vdsoFallback, Dist contextSwitch,
      Dist timerSlack, Dist syscallWakeup, Dist netpoll, Dist schedule, Dist steal, Dist newproc, Dist gopark,
      Dist netSyscall, Dist gcSweepTermination, Dist gcMarkTermination, Dist gcMarkPerMb, Dist gcPreempt) {
    this(syscall, entersyscall, exitsyscallfast, exitsyscall0, newm, futexWake, futexPark, cgoCall, vdso,
        vdsoFallback, contextSwitch, timerSlack, syscallWakeup, netpoll, schedule, steal, newproc, gopark,
        netSyscall, gcSweepTermination, gcMarkTermination, gcMarkPerMb, gcPreempt, null, null);
  }

  private static final Dist SWEEP_TERMINATION = Dist.parse("15us");
  private static final Dist MARK_TERMINATION = Dist.parse("10us");
  private static final Dist MARK_PER_MB = Dist.parse("500us");
  private static final Dist PREEMPT = Dist.parse("5us");
  // A lone nanosleep(20us) returned a median 92us late, p90 106us, the p99 about 144us: 50us of
  // it is Linux's default slack, which the kernel's timers model themselves.
  private static final Dist TIMER_WAKEUP = Dist.parse("lognormal(42us, 94us)");

  /** With a machine: from the interrupt that expires a kernel timer until its thread runs. */
  public Dist wakeAfterTimer() {
    return timerWakeup == null ? TIMER_WAKEUP : timerWakeup;
  }

  // Two goroutines locked to their threads ping-ponging on a channel: 33us per one-way hand-off.
  private static final Dist LOCKEDM_WAKE = Dist.parse("lognormal(33us, 51us)");

  /** startlockedm: from handing the P to a locked goroutine's M until that M runs. */
  public Dist lockedmWakeup() {
    return lockedmWake == null ? LOCKEDM_WAKE : lockedmWake;
  }

  /** The stopped world's work in gcStart (sweep termination), once every P has stopped. */
  public Dist sweepTermination() {
    return gcSweepTermination == null ? SWEEP_TERMINATION : gcSweepTermination;
  }

  /** The stopped world's work in gcMarkTermination. */
  public Dist markTermination() {
    return gcMarkTermination == null ? MARK_TERMINATION : gcMarkTermination;
  }

  /** CPU time one mark worker takes to scan 1MB (live heap, stacks, globals). */
  public Dist markPerMb() {
    return gcMarkPerMb == null ? MARK_PER_MB : gcMarkPerMb;
  }

  /** From preemptall until a running goroutine stops at a safe point (the signal's trip). */
  public Dist preempt() {
    return gcPreempt == null ? PREEMPT : gcPreempt;
  }

  public static final CostTable DEFAULTS =
      new CostTable(
          null, null, null, null, null, null, null, null, null, null, null, null, null, null,
          null, null, null, null, null);

  public CostTable {
    // Defaults: see docs/costs.md for the measurement behind each.
    syscall = orDefault(syscall, "1us", "syscall");
    // entersyscall, exitsyscallfast and cgo-call depend on the Go version: forGo fills them.
    exitsyscall0 = orDefault(exitsyscall0, "1us", "exitsyscall0");
    newm = orDefault(newm, "lognormal(140us, 535us)", "clone");
    // startm's notewakeup of an idle M until it runs, timed inside real Go 1.19 (retake-trace.sh).
    futexWake = orDefault(futexWake, "lognormal(6us, 40us)", "futex-wake");
    futexPark = orDefault(futexPark, "1us", "futex-park");
    vdso = orDefault(vdso, "50ns", "vdso");
    vdsoFallback = orDefault(vdsoFallback, "1us", "vdso-fallback");
    contextSwitch = orDefault(contextSwitch, "2us", "context-switch");
    timerSlack = orDefault(timerSlack, "lognormal(92us, 144us)", "timer-slack");
    syscallWakeup = orDefault(syscallWakeup, "lognormal(33us, 51us)", "syscall-wakeup");
    netpoll = orDefault(netpoll, "500ns", "netpoll");
    schedule = orDefault(schedule, "150ns", "schedule");
    steal = orDefault(steal, "50ns", "steal");
    newproc = orDefault(newproc, "300ns", "newproc");
    gopark = orDefault(gopark, "100ns", "gopark");
    netSyscall = orDefault(netSyscall, "1500ns", "net-syscall");
  }

  /**
   * This table with the defaults that depend on the Go version filled in where the scenario gave
   * none: entersyscall, exitsyscallfast and cgo-call are 40ns each up to Go 1.25 and 20ns from
   * 1.26, whose syscall hooks and empty cgo call measured half of 1.19's side by side
   * (calibration/costs-go-1.26.tsv). RuntimeSpec calls it, so a runtime's table is complete.
   */
  public CostTable forGo(int goMinor) {
    if (entersyscall != null && exitsyscallfast != null && cgoCall != null) {
      return this;
    }
    String hook = goMinor >= 26 ? "20ns" : "40ns";
    return new CostTable(
        syscall, orDefault(entersyscall, hook, "entersyscall"),
        orDefault(exitsyscallfast, hook, "exitsyscallfast"), exitsyscall0, newm, futexWake,
        futexPark, orDefault(cgoCall, hook, "cgo-call"), vdso, vdsoFallback, contextSwitch,
        timerSlack, syscallWakeup, netpoll, schedule, steal, newproc, gopark, netSyscall,
        gcSweepTermination, gcMarkTermination, gcMarkPerMb, gcPreempt, timerWakeup, lockedmWake);
  }

  private static Dist orDefault(Dist v, String dflt, String field) {
    return v == null ? Dist.parse(dflt) : v;
  }
}
