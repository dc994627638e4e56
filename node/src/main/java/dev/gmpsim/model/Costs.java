package dev.gmpsim.model;

import dev.gmpsim.protocol.scenario.CostTable;
import dev.gmpsim.protocol.scenario.Dist;
import java.util.Set;
import java.util.SplittableRandom;

/** The scenario's cost table, sampled with the run's seeded random source. */
final class Costs {
  private final CostTable t;
  private final SplittableRandom rng;
  /** The program's own timer slack (runtime.timer-slack, as prctl(PR_SET_TIMERSLACK)), or null. */
  private final Long programSlack;

  Costs(CostTable table, SplittableRandom rng) {
    this(table, rng, null);
  }

  Costs(CostTable table, SplittableRandom rng, Long programSlack) {
    this.t = table;
    this.rng = rng;
    this.programSlack = programSlack;
  }

  long syscall() { return t.syscall().sample(rng); }

  /** What the kernel does to one syscall or cgo call; {@link #call} asks it when it is set. */
  interface Kernel {
    /** The length of the call {@code name} M {@code mid} makes at {@code at}, asked {@code d}. */
    long call(int mid, String name, long at, long d);
  }

  /** Syscall faults (syscall-hang, syscall-latency), or null: calls take what they ask. */
  Kernel kernel;

  /** How long call {@code name} (a syscall's name, or "cgo") made at {@code at} really takes. */
  long call(int mid, String name, long at, long d) {
    return kernel == null ? d : kernel.call(mid, name, at, d);
  }

  long gcSweepTermination() { return t.sweepTermination().sample(rng); }

  long gcMarkTermination() { return t.markTermination().sample(rng); }

  /** CPU ns per MB of scan work for one mark worker (sampled once per cycle). */
  long gcMarkPerMb() { return Math.max(1, t.markPerMb().sample(rng)); }

  long gcPreempt() { return t.preempt().sample(rng); }

  long entersyscall() { return t.entersyscall().sample(rng); }

  long exitsyscallfast() { return t.exitsyscallfast().sample(rng); }

  long exitsyscall0() { return t.exitsyscall0().sample(rng); }

  /** newm: clone and the new thread reaching mstart. */
  long newm() { return t.newm().sample(rng); }

  /** notewakeup until the woken thread runs. */
  long futexWake() { return t.futexWake().sample(rng); }

  /** startlockedm: the locked goroutine's own M woken until it runs. */
  long lockedmWake() { return t.lockedmWakeup().sample(rng); }

  long futexPark() { return t.futexPark().sample(rng); }

  long cgoCall() { return t.cgoCall().sample(rng); }

  long vdso() { return t.vdso().sample(rng); }

  long vdsoFallback() { return t.vdsoFallback().sample(rng); }

  /**
   * How much later than asked a short sleep (usleep, epoll_wait timeout) returns, with Linux's
   * default 50us slack: what sysmon's usleep and the netpoller's epoll_wait get.
   */
  long timerSlack() { return t.timerSlack().sample(rng); }

  /**
   * The same for the program's own sleeping calls and C sleeps: with runtime.timer-slack set, the
   * default 50us in it are replaced by the program's slack (the rest is the wake-up, which stays).
   * One draw either way, so a run without the key is the same run.
   */
  long programTimerSlack() {
    long d = timerSlack();
    if (programSlack == null) {
      return d;
    }
    return Math.max(0, d - dev.gmpsim.protocol.scenario.RuntimeSpec.DEFAULT_TIMER_SLACK_NS + programSlack);
  }

  /** With a machine: from the interrupt that expires a kernel timer until its thread runs. */
  long timerWakeup() { return t.wakeAfterTimer().sample(rng); }

  /** The slack of the program's own sleeps: runtime.timer-slack, else Linux's default 50us. */
  long programSlackNs() {
    return programSlack == null ? dev.gmpsim.protocol.scenario.RuntimeSpec.DEFAULT_TIMER_SLACK_NS : programSlack;
  }

  /** True when a syscall step sleeps on a kernel timer (with a machine, HrTimers ends it). */
  static boolean sleepsOnTimer(String name, long d, Dist override) {
    return override == null && d > 0 && SLEEPING_CALLS.contains(name);
  }

  /** The same for a C call: one long enough to have slept is taken to sleep on a timer. */
  static boolean cgoSleepsOnTimer(long d, Dist override) {
    return override == null && d >= SLEEPS_FROM_NS;
  }

  /** Syscalls that sleep on a kernel timer: however short the sleep, they return by its slack. */
  static final Set<String> SLEEPING_CALLS =
      Set.of(
          "nanosleep", "clock_nanosleep", "usleep", "sleep", "select", "pselect6", "poll", "ppoll",
          "epoll_wait", "epoll_pwait");

  /** A call that waits this long or more is taken to have put its thread to sleep. */
  static final long SLEEPS_FROM_NS = 20_000;

  /**
   * How long after its wait ends a thread blocked in a syscall runs again: the step's own {@code
   * wakeup} if it has one, the timer slack for a sleeping call, the kernel's wake-up latency for
   * any other call long enough to have slept, else nothing (a short call runs on the CPU).
   * Without it, calls of one constant length keep goroutines in lock step, which no kernel does.
   */
  long wakeup(String name, long d, Dist override) {
    if (override != null) {
      return override.sample(rng);
    }
    if (d > 0 && SLEEPING_CALLS.contains(name)) {
      return programTimerSlack();
    }
    return d >= SLEEPS_FROM_NS ? t.syscallWakeup().sample(rng) : 0;
  }

  /**
   * The same for a C call: one long enough to have slept gets the timer slack, because a C call
   * that blocks is most often a sleep or a timed wait (usleep, a poll with a timeout); measured,
   * 100 goroutines calling usleep(100us) or usleep(1ms) in C match real Go's thread counts so.
   */
  long cgoWakeup(long d, Dist override) {
    if (override != null) {
      return override.sample(rng);
    }
    return d >= SLEEPS_FROM_NS ? programTimerSlack() : 0;
  }

  long netpoll() { return t.netpoll().sample(rng); }

  long schedule() { return t.schedule().sample(rng); }

  long steal() { return t.steal().sample(rng); }

  long newproc() { return t.newproc().sample(rng); }

  long gopark() { return t.gopark().sample(rng); }

  long netSyscall() { return t.netSyscall().sample(rng); }
}
