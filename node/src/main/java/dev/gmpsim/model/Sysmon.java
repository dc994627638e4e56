package dev.gmpsim.model;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import dev.gmpsim.protocol.scenario.RuntimeSpec;

/**
 * sysmon: its own M, no P. It sleeps 20us (plus the kernel's timer slack), doubles the sleep
 * after 50 rounds that retook nothing, up to 10ms, and waits on sysmonwait while every P is idle
 * (never when schedtrace is on, as in proc.go). Each round it polls the network if nobody did for
 * 10ms, retakes Ps stuck in syscalls, preempts Gs that ran for 10ms, and prints schedtrace.
 */
public final class Sysmon extends SimActor<Sysmon.Command> {
  static final long MIN_DELAY_NS = 20_000L;
  static final long MAX_DELAY_NS = 10_000_000L;
  static final int IDLE_ROUNDS_BEFORE_BACKOFF = 50;
  /** forcePreemptNS: the time slice after which sysmon preempts a G. */
  static final long FORCE_PREEMPT_NS = 10_000_000L;
  /** retake skips a syscall with an empty run queue while it is younger than this. */
  static final long SYSCALL_RETAKE_NS = 10_000_000L;
  /** forcegcperiod / 2: the longest sysmonwait sleep. */
  static final long MAX_WAIT_NS = 60_000_000_000L;

  public sealed interface Command extends Msg {}

  /** notewakeup(&sched.sysmonnote) from entersyscall or an exitsyscall taking an idle P. */
  public record Wake(long at) implements Command {}

  /** The answer of one P to a Retake: 1 if the CAS won. */
  public record RetakeResult(long at, int retaken) implements Command {}

  record Tick(long at, long token) implements Command {}

  /** A tick delivered again once sysmon's thread has a CPU. */
  record OnCpu(long at, Tick tick) implements Command {}

  private final Atomics atomics;
  private final SchedTrace trace;
  private final boolean schedtraceOn;
  // pp.sysmontick for each P: only sysmon reads or writes it.
  private final long[] pdSchedtick;
  private final long[] pdSchedwhen;
  private final long[] pdSyscalltick;
  private final long[] pdSyscallwhen;
  private long delay;
  private int idle;
  private long token;
  private boolean waiting;
  private int pendingRetakes;
  private int retakenThisRound;
  private long lasttrace = Long.MIN_VALUE;

  public static Behavior<Command> create(RunContext run) {
    return run.wrap("Sysmon", Behaviors.setup(ctx -> new Sysmon(ctx, run)));
  }

  private Sysmon(ActorContext<Command> ctx, RunContext run) {
    super(ctx, run);
    this.atomics = run.atomics;
    this.trace = new SchedTrace(run);
    this.schedtraceOn = run.schedtraceEvery > 0;
    int capacity = atomics.pStatus.length; // Ps a procresize may add get their sysmontick too
    this.pdSchedtick = new long[capacity];
    this.pdSchedwhen = new long[capacity];
    this.pdSyscalltick = new long[capacity];
    this.pdSyscallwhen = new long[capacity];
    java.util.Arrays.fill(pdSchedtick, -1);
    java.util.Arrays.fill(pdSyscalltick, -1);
    this.delay = MIN_DELAY_NS;
  }

  /** The first message of the run for sysmon: newm(sysmon) at start-up, then its first sleep. */
  static Tick firstTick(RunContext run) {
    return new Tick(MIN_DELAY_NS + run.cost.timerSlack(), 0);
  }

  /**
   * usleep(delay) from {@code from}: with a machine the kernel's timers end it (sysmon keeps
   * Linux's default slack); else a Tick a sampled slack late, which the caller sends. Null when
   * the timer is armed.
   */
  static Tick usleep(RunContext run, akka.actor.typed.ActorRef<Command> sysmon, long from, long delay, long token) {
    if (run.hrtimers == null) {
      return new Tick(from + delay + run.cost.timerSlack(), token);
    }
    run.hrtimers.arm(Cpus.SYSMON, from + delay, dev.gmpsim.protocol.scenario.RuntimeSpec.DEFAULT_TIMER_SLACK_NS,
        run.cost.timerWakeup(), sysmon, at -> new Tick(at, token), null);
    return null;
  }

  @Override
  Handlers<Command> handlers() {
    return Handlers.<Command>create()
        .on(Tick.class, this::onTick)
        .on(OnCpu.class, o -> tick(o.tick()))
        .on(Wake.class, this::onWake)
        .on(RetakeResult.class, this::onRetakeResult);
  }

  private Behavior<Command> onTick(Tick t) {
    if (t.token() != token) {
      return this;
    }
    // Back from usleep: sysmon's thread needs a CPU before it looks at the Ps.
    return waitsForCpu(Cpus.SYSMON, at -> new OnCpu(at, t)) ? this : tick(t);
  }

  private Behavior<Command> tick(Tick t) {
    if (t.token() != token) {
      return this;
    }
    run.stats.count(Counter.SYSMON_TICKS);
    if (waiting) {
      // The sysmonwait sleep timed out.
      stopWaiting();
      round();
      return this;
    }
    // Every P idle: sleep on sysmonwait until the next timer (at most forcegcperiod/2), unless
    // a timer is already due.
    long next = atomics.nextTimer;
    if (!schedtraceOn && atomics.npidle == atomics.gomaxprocs() && next > now) {
      waiting = true;
      atomics.sysmonwait = true;
      run.stats.count(Counter.SYSMON_WAITS);
      long sleep = Math.min(MAX_WAIT_NS, next - now);
      sleep();
      send(getContext().getSelf(), new Tick(now + sleep, ++token));
      return this;
    }
    round();
    return this;
  }

  private Behavior<Command> onWake(Wake w) {
    if (!waiting) {
      return this;
    }
    stopWaiting();
    // A syscall woke us: start again from the short sleep.
    idle = 0;
    delay = MIN_DELAY_NS;
    round();
    return this;
  }

  private void stopWaiting() {
    waiting = false;
    atomics.sysmonwait = false;
    token++;
  }

  /** The body of sysmon's loop after its sleep. */
  private void round() {
    if (atomics.netpollInited
        && atomics.lastpoll != Atomics.POLLING
        && atomics.lastpoll + Sched.NETPOLL_STALE_NS < now) {
      send(run.sched, new Sched.SysmonNetpoll(now));
    }
    retakenThisRound = 0;
    pendingRetakes = retake();
    if (pendingRetakes == 0) {
      endRound();
    }
  }

  private Behavior<Command> onRetakeResult(RetakeResult r) {
    retakenThisRound += r.retaken();
    if (--pendingRetakes == 0) {
      endRound();
    }
    return this;
  }

  private void endRound() {
    if (retakenThisRound != 0) {
      idle = 0;
    } else {
      idle++;
    }
    if (schedtraceOn && (lasttrace == Long.MIN_VALUE || lasttrace + run.schedtraceEvery <= now)) {
      lasttrace = now;
      trace.print(now);
    }
    // The top of the loop: pick the next sleep.
    if (idle == 0) {
      delay = MIN_DELAY_NS;
    } else if (idle > IDLE_ROUNDS_BEFORE_BACKOFF) {
      delay *= 2;
    }
    delay = Math.min(delay, MAX_DELAY_NS);
    sleep();
    Tick tick = usleep(run, getContext().getSelf(), now, delay, ++token);
    if (tick != null) {
      send(getContext().getSelf(), tick);
    }
  }

  /** usleep / notetsleep: sysmon's thread leaves its CPU. */
  private void sleep() {
    if (run.cpus != null) {
      run.cpus.off(Cpus.SYSMON, now);
    }
  }

  /**
   * retake: reads every P's status and ticks (lock-free, as proc.go does), asks the P to preempt
   * or to give up its syscall where the rules say so, and returns how many answers to wait for.
   */
  private int retake() {
    int asked = 0;
    boolean threshold = run.runtime.retake() == RuntimeSpec.Retake.THRESHOLD;
    for (int i = 0, n = atomics.gomaxprocs(); i < n; i++) {
      int s = atomics.pStatus[i];
      boolean sysretake = false;
      if (s == P._Prunning || s == P._Psyscall) {
        long t = atomics.pSchedtick[i];
        if (pdSchedtick[i] != t) {
          pdSchedtick[i] = t;
          pdSchedwhen[i] = now;
        } else if (pdSchedwhen[i] + FORCE_PREEMPT_NS <= now) {
          if (s == P._Prunning) {
            send(run.allp.get(i), new P.Preempt(now, t));
          }
          // preemptone cannot reach a P in a syscall: no M is wired to it.
          sysretake = true;
        }
      }
      if (s != P._Psyscall) {
        continue;
      }
      long t = atomics.pSyscalltick[i];
      if (threshold) {
        // The reference text's rule: any syscall older than the threshold.
        if (now - atomics.pSyscallStart[i] > run.runtime.retakeThreshold()) {
          send(run.allp.get(i), new P.Retake(now, t));
          asked++;
        }
        continue;
      }
      // Retake only a syscall seen on two consecutive rounds (at least one sysmon sleep).
      if (!sysretake && pdSyscalltick[i] != t) {
        pdSyscalltick[i] = t;
        pdSyscallwhen[i] = now;
        continue;
      }
      // Leave it alone while it has no work and others could run it anyway, up to 10ms.
      if (atomics.runqempty(i)
          && atomics.nmspinning + atomics.npidle > 0
          && pdSyscallwhen[i] + SYSCALL_RETAKE_NS > now) {
        continue;
      }
      send(run.allp.get(i), new P.Retake(now, t));
      asked++;
    }
    return asked;
  }
}
