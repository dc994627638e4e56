package dev.gmpsim.model;

import akka.actor.typed.ActorRef;
import dev.gmpsim.protocol.scenario.Nanos;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The outcomes the model detects rather than assumes (docs/faults.md, "Outcomes"):
 *
 * <ul>
 *   <li>{@code deadlock}: proc.go's checkdead, called where the runtime calls it (mput, mexit, an
 *       M waiting for its locked goroutine);
 *   <li>{@code stalled}: goroutines runnable and no P runs them for {@link #STALL_NS}, checked at
 *       every sample;
 *   <li>{@code invariant-violated}: a P lost (owned by no M, on no idle list, not in a syscall, in
 *       no message), a goroutine lost from an M or a run queue, an actor a crash stopped.
 * </ul>
 *
 * It only reads what the actors publish (the lock-free words, the M views, where each G is) and
 * the event list, between two messages; it never changes the run unless it ends it.
 */
final class Liveness {
  /** How long runnable goroutines may wait with no P running any of them before a run is stalled. */
  static final long STALL_NS = 1_000_000_000L;

  private final RunContext run;
  /** Per P: the schedtick last seen, and since when it has had work and not run any of it. */
  private long[] tick;
  private long[] since;
  /** The last sample at which some P ran a goroutine (or the global queue was empty). */
  private long progress;
  /** The first P found lost, as the outcome will say it. */
  private String lostP;
  private boolean[] lost;
  /**
   * Per P: the first sample of the current run of samples at which it had no owner, or -1. The
   * search of the messages in flight, which costs as much as there are events pending, waits for
   * a second such sample: a P in transit between two Ms is owned again by then.
   */
  private long[] ownerlessSince;

  Liveness(RunContext run) {
    this.run = run;
  }

  static String pStatus(int s) {
    return switch (s) {
      case P._Pidle -> "_Pidle";
      case P._Prunning -> "_Prunning";
      case P._Psyscall -> "_Psyscall";
      case P._Pgcstop -> "_Pgcstop";
      default -> "_Pdead";
    };
  }

  // checkdead

  /**
   * checkdead: no M runs Go code (mcount less the idle Ms, the Ms waiting for a locked goroutine
   * and the system Ms: sysmon and the template thread), no goroutine is runnable or can become
   * runnable (every one waiting, none in a message, no timers, nobody parked on the netpoller):
   * the program dies with "all goroutines are asleep - deadlock!". In a cgo binary the extra M
   * counts as running, so, as in the runtime, it never fires there. One difference: a workload
   * goroutine must be among the sleepers (see below).
   */
  void checkdead() {
    Atomics a = run.atomics;
    if (run.events == null) {
      return;
    }
    int nmsys = 1 + (a.haveTemplateThread ? 1 : 0);
    int running = a.mcount - a.nmidle - a.nmidlelocked - nmsys;
    if (running > 0 || a.timers > 0 || a.netpollWaiters > 0) {
      return;
    }
    boolean workload = false;
    for (G g : run.allgs.values()) {
      if (g.status != G.Status._Gwaiting || g.where == G.Where.TRANSIT) {
        return;
      }
      workload |= g.id != 1 && !Programs.RUNTIME_WAITS.contains(g.waitReason);
    }
    if (!workload) {
      // Only main's closing select {} and the runtime's own goroutines are left: the workload is
      // done, as if main had returned (the model's main waits only to keep the run going).
      return;
    }
    boolean[] carries = {false};
    if (run.events.anyPending(o -> {
      o.msg().forEachG(g -> carries[0] = true);
      return carries[0];
    })) {
      return;
    }
    run.events.halt("deadlock: all goroutines are asleep - deadlock!");
  }

  // stalled and lost Ps, at every sample

  /** At every sample (between two messages). */
  void sample(long at) {
    Atomics a = run.atomics;
    int n = a.gomaxprocs();
    if (tick == null) {
      // Sized for the most Ps the run can have: a gomaxprocs fault may add Ps later.
      int cap = a.pSchedtick.length;
      tick = new long[cap];
      since = new long[cap];
      lost = new boolean[cap];
      ownerlessSince = new long[cap];
      java.util.Arrays.fill(tick, -1);
      java.util.Arrays.fill(ownerlessSince, -1);
    }
    boolean progressed = false;
    int stalled = -1;
    for (int i = 0; i < n; i++) {
      if (a.pSchedtick[i] != tick[i]) {
        tick[i] = a.pSchedtick[i];
        since[i] = at;
        progressed = true;
      } else if (a.runqempty(i)) {
        since[i] = at;
      } else if (at - since[i] >= STALL_NS && stalled < 0) {
        stalled = i;
      }
      if (lostP == null && !lost[i] && !deadP(i)) {
        if (owner(i) == null) {
          ownerlessSince[i] = -1;
        } else if (ownerlessSince[i] < 0) {
          ownerlessSince[i] = at;
        } else {
          String why = lostWhy(i);
          if (why != null) {
            lost[i] = true;
            lostP = "P" + i + " is lost since " + Nanos.format(ownerlessSince[i]) + " (" + why + ")";
          }
        }
      }
    }
    if (progressed || a.runqsize == 0) {
      progress = at;
    }
    if (stalled >= 0) {
      run.events.halt("stalled: no progress for " + Nanos.format(STALL_NS) + ": P" + stalled + " has "
          + (a.pRunqLen[stalled] + (a.pRunnext[stalled] ? 1 : 0)) + " runnable goroutines and has run none since "
          + Nanos.format(since[stalled]) + "; P" + stalled + " " + describeP(stalled) + waiting(at));
    } else if (at - progress >= STALL_NS) {
      run.events.halt("stalled: no progress for " + Nanos.format(STALL_NS) + ": " + a.runqsize
          + " goroutines in the global run queue and no P has run a goroutine since " + Nanos.format(progress)
          + waiting(at));
    }
  }

  /** A crash stopped P i's actor: reported at the end, with every dead letter counted. */
  private boolean deadP(int i) {
    return run.faults != null && run.faults.actorFaults.dead("P[" + i + "]") != null;
  }

  /** What a P is, for a stalled outcome: lost, or whose it is. */
  private String describeP(int i) {
    String why = lostWhy(i);
    if (why != null) {
      return "is lost (" + why + ")";
    }
    Atomics a = run.atomics;
    return "is " + pStatus(a.pStatus[i]) + (a.pM[i] >= 0 ? " on M" + a.pM[i] : "") + (a.pIdle[i] ? ", on the idle list" : "");
  }

  /** The goroutines that have waited longest, runnable, for at least the stall time. */
  private String waiting(long at) {
    List<Long> ids = new ArrayList<>();
    int more = 0;
    for (G g : run.allgs.values()) {
      if (g.runnableSince >= 0 && at - g.runnableSince >= STALL_NS
          && (g.where == G.Where.LOCAL_RUNQ || g.where == G.Where.GLOBAL_RUNQ)) {
        if (ids.size() < 5) {
          ids.add(g.id);
        } else {
          more++;
        }
      }
    }
    if (ids.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder("; runnable for over ").append(Nanos.format(STALL_NS)).append(':');
    ids.forEach(id -> b.append(" G").append(id));
    if (more > 0) {
      b.append(" (+").append(more).append(" more)");
    }
    return b.toString();
  }

  /**
   * Why P {@code i} is lost, or null if it is not: nobody can ever run it again because it is
   * owned by no M (or by one that does not hold it), on no idle list, not in a syscall (whose M
   * will try to take it back), and named by no message in flight; or a crash stopped its actor.
   */
  String lostWhy(int i) {
    ActorFaults af = run.faults == null ? null : run.faults.actorFaults;
    ActorFaults.Dead d = af == null ? null : af.dead("P[" + i + "]");
    if (d != null) {
      return d.describe();
    }
    String owner = owner(i);
    if (owner == null) {
      return null;
    }
    ActorRef<?> self = run.allp.get(i);
    if (run.events.anyPending(o -> o.to() == self || names(o.msg(), i, self))) {
      return null;
    }
    return pStatus(run.atomics.pStatus[i]) + ", " + owner + ", on no idle list, not in a syscall, in no message in flight";
  }

  /**
   * Who P {@code i} belongs to when nobody can run it ("owned by no M", or a crashed M), or null
   * when someone can (it is idle, in a syscall, or held by a live M): the cheap half of {@link
   * #lostWhy}, which then looks for it in the messages in flight.
   */
  private String owner(int i) {
    ActorFaults af = run.faults == null ? null : run.faults.actorFaults;
    Atomics a = run.atomics;
    if (a.pIdle[i] || a.pStatus[i] == P._Psyscall || a.gcwaiting) {
      return null; // a stop-the-world holds every P until it starts the world again
    }
    int m = a.pM[i];
    String owner;
    if (m >= 0) {
      // Held by an M: lost only if a crash took that M (a new M knows no P, a stopped one is gone).
      ActorFaults.Crashed mc = af == null ? null : af.crashedM(m);
      if (mc == null) {
        return null;
      }
      ActorFaults.Dead md = af.dead("M[" + m + "]");
      owner = "held by M" + m + ", whose " + (md != null ? md.describe()
          : "actor was restarted by a crash at " + Nanos.format(mc.at()) + " and holds no P");
    } else {
      owner = "owned by no M";
    }
    return owner;
  }

  // The P a message names: an int component p or pid, or an ActorRef to it.

  private static final Map<Class<?>, RecordComponent[]> PARTS = new ConcurrentHashMap<>();

  private static boolean names(Msg msg, int i, ActorRef<?> p) {
    RecordComponent[] parts = PARTS.computeIfAbsent(msg.getClass(), c -> {
      RecordComponent[] rc = c.isRecord() ? c.getRecordComponents() : new RecordComponent[0];
      for (RecordComponent r : rc) {
        r.getAccessor().setAccessible(true);
      }
      return rc;
    });
    try {
      for (RecordComponent r : parts) {
        Class<?> t = r.getType();
        if (t == int.class && (r.getName().equals("p") || r.getName().equals("pid"))) {
          if ((int) r.getAccessor().invoke(msg) == i) {
            return true;
          }
        } else if (ActorRef.class.isAssignableFrom(t) && r.getAccessor().invoke(msg) == p) {
          return true;
        } else if (Msg.class.isAssignableFrom(t) && names((Msg) r.getAccessor().invoke(msg), i, p)) {
          return true; // a woken message waiting for its thread's CPU (M.OnCpu)
        }
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    return false;
  }

  // At the end of a run that is otherwise ok

  /** The first thing lost at the end of the run, as an outcome, or null. */
  String atEnd() {
    ActorFaults af = run.faults == null ? null : run.faults.actorFaults;
    for (G g : run.allgs.values()) {
      if (g.where != G.Where.ON_M || g.m < 0) {
        continue;
      }
      ActorFaults.Dead md = af == null ? null : af.dead("M[" + g.m + "]");
      if (md != null) {
        return "invariant-violated: G" + g.id + " is lost (on M" + g.m + ", whose " + md.describe() + ")";
      }
      if (run.mview(g.m).curg != g.id) {
        return "invariant-violated: G" + g.id + " is lost (on M" + g.m + ", which runs no goroutine)";
      }
    }
    Atomics a = run.atomics;
    long queued = 0;
    for (int i = 0; i < a.gomaxprocs(); i++) {
      queued += a.pRunqLen[i] + (a.pRunnext[i] ? 1 : 0);
    }
    long inLocal = run.stats.in(G.Where.LOCAL_RUNQ);
    if (inLocal > queued) {
      long n = inLocal - queued;
      return "invariant-violated: " + n + " goroutine" + (n == 1 ? " is" : "s are")
          + " lost (put in a local run queue, in none now)";
    }
    if (lostP != null) {
      return "invariant-violated: " + lostP;
    }
    for (int i = 0; i < a.gomaxprocs(); i++) {
      String why = lostWhy(i);
      if (why != null) {
        return "invariant-violated: P" + i + " is lost (" + why + ")";
      }
    }
    if (af != null) {
      for (Map.Entry<String, ActorFaults.Dead> e : af.deadActors().entrySet()) {
        return "invariant-violated: " + e.getKey() + " is dead (" + e.getValue().describe() + ")";
      }
    }
    return null;
  }
}
