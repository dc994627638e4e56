package dev.gmpsim.model;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.BehaviorInterceptor;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.TypedActorContext;
import akka.actor.typed.javadsl.Behaviors;
import dev.gmpsim.protocol.scenario.Fault;
import dev.gmpsim.protocol.scenario.Nanos;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The actor faults {@code crash} and {@code pause} (docs/faults.md). A crash is Akka's own
 * failure handling: the fault puts an interceptor that throws inside {@code
 * Behaviors.supervise(...).onFailure(SupervisorStrategy.restart() | stop())}, so a restart is
 * Akka re-running the actor's setup (a new P, M or sysmon: its state lost) and a stop leaves
 * messages to the actor as dead letters. The fault layer's own messages ({@link Crash}, {@link
 * PauseBegins}) go through the run's event list like any other, at their virtual time, and never
 * reach the model's handlers.
 */
final class ActorFaults {
  /** A message of the fault layer's own, delivered through the event list; never a model message. */
  sealed interface Marker extends Msg {}

  /** The crash of fault {@code fault}, delivered to its actor at {@code at}. */
  record Crash(long at, FaultLayer.State fault) implements Marker {}

  /** The start of a pause of a P: its running goroutine is preempted. */
  record PauseBegins(long at, FaultLayer.State fault) implements Marker {}

  /** Thrown by a crash whose supervision is restart: only the restart supervisor catches it. */
  static final class CrashRestart extends RuntimeException {
    CrashRestart(String what) {
      super(what, null, false, false);
    }
  }

  /** Thrown by a crash whose supervision is stop. */
  static final class CrashStop extends RuntimeException {
    CrashStop(String what) {
      super(what, null, false, false);
    }
  }

  /** An actor a crash stopped: what it was, when, and how many messages went to it since. */
  static final class Dead {
    final String name;
    final long at;
    long letters;

    Dead(String name, long at) {
      this.name = name;
      this.at = at;
    }

    String describe() {
      return "its actor was stopped by a crash at " + Nanos.format(at) + " (" + letters + " message"
          + (letters == 1 ? "" : "s") + " to it dead letters)";
    }
  }

  /** A crash that happened, for outcomes that follow from it. */
  record Crashed(String actor, long at, Fault.Supervision supervision, String lost) {}

  /** Messages a paused P still handles: none of them runs Go code on it. */
  static final java.util.Set<String> PAUSE_PASSES = java.util.Set.of("StealRequest", "RunqPut", "Preempt");

  private final RunContext run;
  /** By ActorRef equality (path and uid): the refs the actors hold of each other are not one object. */
  private final Map<ActorRef<?>, Dead> dead = new java.util.HashMap<>();
  private final Map<String, Dead> deadByName = new LinkedHashMap<>();
  final List<Crashed> crashed = new ArrayList<>();

  ActorFaults(RunContext run) {
    this.run = run;
  }

  /** The crash of M {@code m}, or null. */
  Crashed crashedM(int m) {
    String name = "M[" + m + "]";
    for (Crashed c : crashed) {
      if (c.actor().equals(name)) {
        return c;
      }
    }
    return null;
  }

  /** The actor {@code name} ("P[2]", "sysmon") if a crash stopped it, else null. */
  Dead dead(String name) {
    return deadByName.get(name);
  }

  Map<String, Dead> deadActors() {
    return deadByName;
  }

  /** The event list's dead-letter test: a message to a stopped actor is counted and dropped. */
  boolean deadLetter(Clock.Out o) {
    Dead d = dead.get(o.to());
    if (d == null) {
      return false;
    }
    d.letters++;
    return true;
  }

  /**
   * The crash and pause messages the run starts with, for the actors that exist from the start
   * (Ps, sysmon, sched, netpoller, m0); another M's crash is sent when it first runs.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  List<Clock.Out> initial(List<FaultLayer.State> faults, ActorRef<?> m0) {
    List<Clock.Out> out = new ArrayList<>();
    for (FaultLayer.State s : faults) {
      Fault f = s.spec;
      if (f.kind() != Fault.Kind.CRASH && f.kind() != Fault.Kind.PAUSE) {
        continue;
      }
      ActorRef<?> to = switch (s.target.actor()) {
        case "P" -> run.allp.get(s.target.index());
        case "M" -> s.target.index() == 0 ? m0 : null;
        case "sysmon" -> run.sysmon;
        case "sched" -> run.sched;
        default -> run.netpoller;
      };
      if (to != null) {
        Msg m = f.kind() == Fault.Kind.CRASH ? new Crash(f.at(), s) : new PauseBegins(f.from(), s);
        out.add(new Clock.Out((ActorRef) to, m));
      }
    }
    return out;
  }

  /**
   * {@code b} under Akka supervision for the crashes in {@code crashes}: an interceptor that
   * throws on a {@link Crash}, inside a restart supervisor (restart crashes) and a stop
   * supervisor (stop crashes).
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  <T> Behavior<T> supervised(String name, String actor, int index, List<FaultLayer.State> crashes, Behavior<T> b) {
    Behavior<T> t = (Behavior<T>) Behaviors.intercept(() -> new Thrower(name, actor, index), (Behavior) b);
    boolean restart = crashes.stream().anyMatch(s -> s.spec.supervision() == Fault.Supervision.RESTART);
    boolean stop = crashes.stream().anyMatch(s -> s.spec.supervision() == Fault.Supervision.STOP);
    if (restart) {
      t = Behaviors.supervise(t).onFailure(CrashRestart.class, SupervisorStrategy.restart().withLoggingEnabled(false));
    }
    if (stop) {
      t = Behaviors.supervise(t).onFailure(CrashStop.class, SupervisorStrategy.stop().withLoggingEnabled(false));
    }
    return t;
  }

  /** Inside the supervisors: a {@link Crash} makes the actor fail; everything else passes. */
  private final class Thrower extends BehaviorInterceptor<Msg, Msg> {
    private final String name;
    private final String actor;
    private final int index;

    Thrower(String name, String actor, int index) {
      super(Msg.class);
      this.name = name;
      this.actor = actor;
      this.index = index;
    }

    @Override
    public Behavior<Msg> aroundReceive(TypedActorContext<Msg> ctx, Msg msg, ReceiveTarget<Msg> target) {
      if (!(msg instanceof Crash c)) {
        return target.apply(ctx, msg);
      }
      Fault.Supervision how = c.fault().spec.supervision();
      ActorRef<Msg> self = ctx.asJava().getSelf();
      String lost = loseState(how, self, c.at());
      c.fault().record(c.at(), name, "crash", how.yaml() + ": " + lost);
      crashed.add(new Crashed(name, c.at(), how, lost));
      if (how == Fault.Supervision.STOP) {
        Dead d = new Dead(name, c.at());
        dead.put(self, d);
        deadByName.put(name, d);
        run.events.deadLetter = ActorFaults.this::deadLetter;
      }
      // The crash was this actor's event: hand delivery on before Akka restarts or stops it.
      run.events.deliverNext();
      String what = name + " crashed at " + Nanos.format(c.at());
      throw how == Fault.Supervision.STOP ? new CrashStop(what) : new CrashRestart(what);
    }

    /**
     * What the actor held (read from the words it publishes), and for a restart those words as a
     * new actor has them: a P struct made afresh, an M that knows no P or G, a sysmon that has
     * to start its loop again.
     */
    private String loseState(Fault.Supervision how, ActorRef<Msg> self, long at) {
      Atomics a = run.atomics;
      boolean restart = how == Fault.Supervision.RESTART;
      switch (actor) {
        case "P" -> {
          int i = index;
          int queued = a.pRunqLen[i] + (a.pRunnext[i] ? 1 : 0);
          String was = Liveness.pStatus(a.pStatus[i]) + (a.pM[i] >= 0 ? " on M" + a.pM[i] : "")
              + ", " + queued + " goroutine" + (queued == 1 ? "" : "s") + " in its run queue";
          if (restart) {
            a.pStatus[i] = P._Pidle;
            a.pM[i] = -1;
            a.pRunqLen[i] = 0;
            a.pRunnext[i] = false;
            a.pSchedtick[i] = 0;
            a.pSyscalltick[i] = 0;
          }
          return "was " + was;
        }
        case "M" -> {
          MView v = run.mview(index);
          String was = v.state + (v.p >= 0 ? " on P" + v.p : "") + (v.curg >= 0 ? ", running G" + v.curg : "")
              + (v.lockedg >= 0 ? ", G" + v.lockedg + " locked to it" : "");
          if (restart) {
            v.p = -1;
            v.curg = -1;
            v.spinning = false;
            v.blocked = false;
            v.lockedg = -1;
            v.state = M.State.IDLE.label;
          } else {
            v.state = "crashed";
          }
          return "was " + was;
        }
        case "sysmon" -> {
          if (restart) {
            // A new sysmon starts its loop as the run's first one does: a first sleep, token 0.
            a.sysmonwait = false;
            Sysmon.Tick first = Sysmon.usleep(run, (ActorRef<Sysmon.Command>) (ActorRef<?>) self, at, Sysmon.MIN_DELAY_NS, 0);
            if (first != null) {
              run.events.add(self, first);
            }
            return "its sleep, idle count and per-P ticks";
          }
          return "retake, preemption, the 10ms netpoll and schedtrace";
        }
        case "sched" -> {
          return "the global run queue (" + a.runqsize + "), idle Ps (" + a.npidle + "), idle Ms (" + a.nmidle + ")";
        }
        default -> {
          return a.netpollWaiters + " goroutines parked on descriptors, " + a.timers + " timers";
        }
      }
    }
  }
}
