package dev.gmpsim.model;

import akka.actor.typed.Behavior;
import akka.actor.typed.BehaviorInterceptor;
import akka.actor.typed.TypedActorContext;
import akka.actor.typed.javadsl.Behaviors;
import dev.gmpsim.protocol.result.RunSummary;
import dev.gmpsim.protocol.scenario.Fault;
import dev.gmpsim.protocol.scenario.Nanos;
import dev.gmpsim.protocol.scenario.Scenario;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scenario's {@code faults:}, applied around the model's actors: an {@link
 * RunContext.ActorWrapper} that puts a new {@link Interceptor} (Akka's {@code
 * Behaviors.intercept}) around each actor a message fault or stall targets, and fails thread
 * creation (an M actor being made is a clone) for {@code clone-fails}. The model's handlers know
 * nothing of it.
 *
 * <p>Environment faults: syscall-hang and syscall-latency answer the M's question to the kernel
 * layer ({@link Costs#call}) about how long a call takes; gomaxprocs and max-threads are calls
 * the program makes at a time, put in the event list for sched at the start ({@link #initial}),
 * and a gomaxprocs call's stop-the-world holds every P, M and sched message while it lasts.
 *
 * <p>Installed only when a scenario declares faults; it then turns off {@link SimActor}'s
 * in-place delivery ({@link RunContext#inPlace}), so every message to a wrapped actor passes its
 * interceptor, whichever actor sent it. A delayed or stalled message goes back in the event list
 * at its new virtual time; a dropped one is gone; a duplicate is a copy with its own sequence
 * number. A message a fault has put back is not faulted again. All choices come from a random
 * source split from the run's seed, apart from the one the model draws from.
 */
final class FaultLayer implements RunContext.ActorWrapper {
  private final RunContext.ActorWrapper inner;
  private final List<State> faults = new ArrayList<>();
  private final SplittableRandom rng;
  private RunContext run;
  /** Messages this layer put in the event list at the start (gomaxprocs, max-threads), by fault. */
  private final Map<Msg, State> scheduled = new IdentityHashMap<>();
  /** gomaxprocs faults: their stop-the-world stalls every P, M and sched message while it lasts. */
  private final List<State> worldStops = new ArrayList<>();

  /** One declared fault and what it has done. */
  static final class State {
    final Fault spec;
    final Fault.Target target;
    long matched;
    long fired;
    final List<RunSummary.Firing> firings = new ArrayList<>();
    TraceRecorder trace;
    /** gomaxprocs: the stop-the-world [stwFrom, stwUntil), once it has begun. */
    long stwFrom = -1;
    long stwUntil = -1;

    State(Fault spec) {
      this.spec = spec;
      this.target = spec.parsedTarget();
    }

    boolean inWindow(long at) {
      return at >= spec.from() && at < spec.until();
    }

    void record(long at, String actor, String message, String action) {
      fired++;
      if (trace != null) {
        trace.fault(at, spec.label(), actor + " " + message + ": " + action);
      }
      if (firings.size() < RunSummary.MAX_FIRINGS) {
        firings.add(new RunSummary.Firing(at, actor, message, action));
      }
    }
  }

  FaultLayer(Scenario scenario, long seed, RunContext.ActorWrapper inner) {
    this.inner = inner;
    this.rng = new SplittableRandom(seed).split();
    for (Fault f : scenario.faults()) {
      State s = new State(f);
      faults.add(s);
      if (f.kind() == Fault.Kind.GOMAXPROCS) {
        worldStops.add(s);
      }
    }
  }

  /** Ties the layer to its run (before any actor is made): in-place delivery off. */
  void bind(RunContext run) {
    this.run = run;
    run.faults = this;
    run.inPlace = false;
    for (State s : faults) {
      s.trace = run.trace;
    }
    if (faults.stream().anyMatch(s -> s.spec.kind().onCalls())) {
      run.cost.kernel = this::call;
    }
    this.actorFaults = new ActorFaults(run);
  }

  /**
   * The calls a program makes at a time, as messages for the start of the run:
   * runtime.GOMAXPROCS(n) (procresize, after its stop-the-world) and debug.SetMaxThreads(n).
   */
  List<Clock.Out> initial() {
    List<Clock.Out> out = new ArrayList<>();
    for (State s : faults) {
      Fault f = s.spec;
      Msg m = switch (f.kind()) {
        case GOMAXPROCS -> new Sched.Procresize(f.at(), f.procs());
        case MAX_THREADS -> new Sched.SetMaxThreads(f.at(), f.threads());
        default -> null;
      };
      if (m != null) {
        scheduled.put(m, s);
        out.add(send(run.sched, m));
      }
    }
    return out;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Clock.Out send(akka.actor.typed.ActorRef<?> to, Msg m) {
    return new Clock.Out((akka.actor.typed.ActorRef) to, m);
  }

  /**
   * The kernel's side of syscall-hang and syscall-latency: the first fault that hits call
   * {@code name} decides. A hung call returns after the run's end, so its thread is never back.
   */
  private long call(int mid, String name, long at, long d) {
    for (State s : faults) {
      Fault f = s.spec;
      if (!f.kind().onCalls() || !f.syscall().equals(name) || !s.inWindow(at)) {
        continue;
      }
      if (!hits(s)) {
        continue;
      }
      if (f.kind() == Fault.Kind.SYSCALL_HANG) {
        s.record(at, "M[" + mid + "]", name, "hang");
        return Math.max(d, run.scenario.duration() - at + 1);
      }
      long extra = f.by().sample(rng);
      s.record(at, "M[" + mid + "]", name, "latency +" + Nanos.format(extra));
      return d + extra;
    }
    return d;
  }

  /** times, every and probability, as for message faults. */
  private boolean hits(State s) {
    Fault f = s.spec;
    if (f.times() != null && s.fired >= f.times()) {
      return false;
    }
    s.matched++;
    return f.every() != null ? s.matched % f.every() == 0
        : f.probability() == null || rng.nextDouble() < f.probability();
  }

  /**
   * stopTheWorldGC("GOMAXPROCS") begins: how long until the world is stopped and procresize runs.
   * preemptall signals every running P and the stopper waits on its note for the last to stop:
   * a futex wake per running P, and one for the stopper itself (drawn from the cost table).
   */
  private long stopTheWorld() {
    Atomics a = run.atomics;
    long ns = run.runtime.costs().futexWake().sample(rng);
    for (int i = 0; i < a.gomaxprocs(); i++) {
      if (a.pStatus[i] == P._Prunning) {
        ns += run.runtime.costs().futexWake().sample(rng);
      }
    }
    return Math.max(1, ns);
  }

  // --- actor faults: crash, pause (ActorFaults) ---
  /** Crash and pause; never null once bound. */
  ActorFaults actorFaults;

  /** The crash and pause messages the run starts with (m0: the main thread's actor). */
  List<Clock.Out> initial(akka.actor.typed.ActorRef<?> m0) {
    return actorFaults.initial(faults, m0);
  }

  /** An outcome that follows a crash says which: "...; after P[1] crashed at 2s (restart)". */
  String explain(String outcome) {
    if (actorFaults.crashed.isEmpty() || !(outcome.startsWith("invariant-violated") || outcome.startsWith("stalled"))) {
      return outcome;
    }
    StringBuilder b = new StringBuilder(outcome);
    for (ActorFaults.Crashed c : actorFaults.crashed) {
      b.append("; after ").append(c.actor()).append(" crashed at ").append(Nanos.format(c.at()))
          .append(" (").append(c.supervision().yaml()).append(')');
    }
    return b.toString();
  }
  // --- end of actor faults ---

  /** The run's faults as summary.json reports them, in declared order. */
  List<RunSummary.FaultReport> report() {
    List<RunSummary.FaultReport> out = new ArrayList<>();
    for (State s : faults) {
      out.add(new RunSummary.FaultReport(s.spec.label(), s.spec.kind().yaml(), s.fired, List.copyOf(s.firings)));
    }
    return out;
  }

  @Override
  public <T> Behavior<T> wrap(String kind, Behavior<T> behavior) {
    return wrap(kind, -1, behavior);
  }

  @Override
  public <T> Behavior<T> wrap(String kind, int index, Behavior<T> behavior) {
    Behavior<T> b = inner.wrap(kind, index, behavior);
    String actor = actorKind(kind);
    String name = actor.length() == 1 ? actor + "[" + index + "]" : actor;
    if (actor.equals("M") && index > 0) {
      cloneCheck(name);
    }
    List<State> mine = new ArrayList<>();
    for (State s : faults) {
      if (s.target != null && s.target.matches(actor, index)) {
        mine.add(s);
      }
    }
    // The world stops for P, M and sched; sched also receives the calls made at a time.
    boolean world = actor.equals("P") || actor.equals("M") || actor.equals("sched");
    if (world) {
      mine.addAll(worldStops);
    }
    boolean calls = actor.equals("sched") && faults.stream().anyMatch(s -> s.spec.kind().atATime());
    if (mine.isEmpty() && !calls) {
      return b;
    }
    // --- actor faults: a crash target's behavior goes under Akka supervision, inside the
    // interceptor of its message faults (whose state a restart must not lose) ---
    List<State> crashes = mine.stream().filter(s -> s.spec.kind() == Fault.Kind.CRASH).toList();
    if (!crashes.isEmpty()) {
      b = actorFaults.supervised(name, actor, index, crashes, b);
    }
    return intercept(name, actor.equals("M") ? index : -1, mine, b);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private <T> Behavior<T> intercept(String name, int mid, List<State> mine, Behavior<T> b) {
    // When the actor is made, read now: the factory below runs when the actor starts, off the run.
    long born = run == null || run.events == null ? 0 : run.events.now();
    return (Behavior<T>) Behaviors.intercept(() -> new Interceptor(name, mid, mine, born), (Behavior) b);
  }

  private static String actorKind(String kind) {
    return switch (kind) {
      case "P", "M" -> kind;
      default -> kind.toLowerCase(java.util.Locale.ROOT);
    };
  }

  /**
   * newm is making M {@code name}: its clone fails if a clone-fails fault holds now. The run ends
   * at once with the runtime's message; mcount already counts the new M, as it does in newosproc.
   */
  private void cloneCheck(String name) {
    if (run == null || run.events == null) {
      return;
    }
    long now = run.events.now();
    long have = run.atomics.mcount;
    for (State s : faults) {
      Fault f = s.spec;
      if (f.kind() == Fault.Kind.CLONE_FAILS && now >= f.from() && (f.threads() == null || have > f.threads())) {
        s.record(now, name, "clone", "EAGAIN");
        run.events.halt("fatal: runtime: failed to create new OS thread (have " + have + " already; errno=11)");
        return;
      }
    }
  }

  /** One actor's message faults and stalls: a new instance per actor. */
  final class Interceptor extends BehaviorInterceptor<Msg, Msg> {
    private final String actor;
    /** The M's number (for M[locked]: whether a goroutine is locked to it now), else -1. */
    private final int mid;
    private final List<State> mine;
    /** A message a reorder fault holds until the next message to this actor has been taken. */
    private Msg held;
    /** Messages a fault has put back in the list: they pass untouched. */
    private final Set<Msg> putBack = Collections.newSetFromMap(new IdentityHashMap<>());

    Interceptor(String actor, int mid, List<State> mine, long born) {
      super(Msg.class);
      this.actor = actor;
      this.mid = mid;
      this.mine = mine;
      this.born = born;
    }

    // --- actor faults ---
    /** When the actor was made (an M: by newm), and whether it has handled a message yet. */
    private final long born;
    private boolean started;

    /**
     * The fault layer's own messages: a crash goes on to the supervised behavior (which throws),
     * the start of a pause preempts the P's running goroutine (as a stop-the-world does).
     */
    private Behavior<Msg> marker(TypedActorContext<Msg> ctx, ActorFaults.Marker m, ReceiveTarget<Msg> target) {
      if (m instanceof ActorFaults.PauseBegins p) {
        int i = p.fault().target.index();
        p.fault().record(p.at(), actor, "Preempt", "pause until " + Nanos.format(p.fault().spec.until()));
        return target.apply(ctx, new P.Preempt(p.at(), run.atomics.pSchedtick[i]));
      }
      return target.apply(ctx, m);
    }

    /** An M made after the run started: its crash is sent when it first runs, if it was made by then. */
    private void firstMessage(TypedActorContext<Msg> ctx, Msg msg) {
      started = true;
      if (mid <= 0) {
        return;
      }
      for (State s : mine) {
        if (s.spec.kind() == Fault.Kind.CRASH && born <= s.spec.at()) {
          run.events.add(ctx.asJava().getSelf(), new ActorFaults.Crash(Math.max(s.spec.at(), msg.at()), s));
        }
      }
    }
    // --- end of actor faults ---

    private boolean targets(State s) {
      return s.target == null || s.target.index() != Fault.LOCKED || (mid >= 0 && run.mview(mid).lockedg >= 0);
    }

    @Override
    public Behavior<Msg> aroundReceive(TypedActorContext<Msg> ctx, Msg msg, ReceiveTarget<Msg> target) {
      if (msg instanceof ActorFaults.Marker m) {
        return marker(ctx, m, target);
      }
      if (!started) {
        firstMessage(ctx, msg);
      }
      if (held != null) {
        // Reorder: the held message goes back in right behind this one, at this one's time.
        Msg late = withAt(held, msg.at());
        held = null;
        putBack.add(late);
        run.events.add(ctx.asJava().getSelf(), late);
      }
      if (putBack.remove(msg)) {
        return target.apply(ctx, msg);
      }
      long at = msg.at();
      String type = msg.getClass().getSimpleName();
      State call = scheduled.remove(msg);
      if (call != null) {
        return calledAt(ctx, msg, call, target);
      }
      for (State s : mine) {
        Fault f = s.spec;
        if (f.kind() == Fault.Kind.GOMAXPROCS) {
          if (s.stwFrom >= 0 && at >= s.stwFrom && at < s.stwUntil) {
            // The world is stopped: nothing runs until startTheWorld.
            putBack(ctx, withAt(msg, s.stwUntil));
            return Behaviors.same();
          }
          continue;
        }
        if (f.kind() == Fault.Kind.CRASH || !s.inWindow(at) || (f.message() != null && !f.message().equals(type)) || !targets(s)) {
          continue;
        }
        // --- actor faults: a paused P handles nothing that runs Go code on it until the end ---
        if (f.kind() == Fault.Kind.PAUSE) {
          if (ActorFaults.PAUSE_PASSES.contains(type)) {
            continue;
          }
          s.record(at, actor, type, "pause until " + Nanos.format(f.until()));
          putBack(ctx, withAt(msg, f.until()));
          return Behaviors.same();
        }
        // --- end of actor faults ---
        if (f.kind() == Fault.Kind.STALL) {
          s.record(at, actor, type, "stall until " + Nanos.format(f.until()));
          putBack(ctx, withAt(msg, f.until()));
          return Behaviors.same();
        }
        if (f.times() != null && s.fired >= f.times()) {
          continue;
        }
        s.matched++;
        boolean fires = f.every() != null ? s.matched % f.every() == 0
            : f.probability() == null || rng.nextDouble() < f.probability();
        if (!fires) {
          continue;
        }
        switch (f.kind()) {
          case DROP -> {
            s.record(at, actor, type, "drop");
            run.events.deliverNext();
            return Behaviors.same();
          }
          case DELAY -> {
            long d = f.by().sample(rng);
            s.record(at, actor, type, "delay " + Nanos.format(d));
            putBack(ctx, withAt(msg, at + d));
            return Behaviors.same();
          }
          case DUPLICATE -> {
            s.record(at, actor, type, "duplicate");
            Msg copy = withAt(msg, at);
            putBack.add(copy);
            run.events.add(ctx.asJava().getSelf(), copy);
            return target.apply(ctx, msg);
          }
          case REORDER -> {
            s.record(at, actor, type, "reorder");
            held = msg;
            run.events.deliverNext();
            return Behaviors.same();
          }
          default -> throw new IllegalStateException("not a message fault: " + f.kind());
        }
      }
      return target.apply(ctx, msg);
    }

    /** A call the program makes at a time reaches sched: SetMaxThreads now, procresize after the STW. */
    private Behavior<Msg> calledAt(TypedActorContext<Msg> ctx, Msg msg, State s, ReceiveTarget<Msg> target) {
      long at = msg.at();
      if (msg instanceof Sched.Procresize r) {
        long stw = stopTheWorld();
        s.stwFrom = at;
        s.stwUntil = at + stw;
        s.record(at, actor, "Procresize", "stop the world " + Nanos.format(stw) + ", procresize "
            + run.atomics.gomaxprocs() + " -> " + r.procs());
        putBack(ctx, withAt(msg, s.stwUntil));
        return Behaviors.same();
      }
      s.record(at, actor, type(msg), "SetMaxThreads(" + s.spec.threads() + ")");
      return target.apply(ctx, msg);
    }

    private String type(Msg msg) {
      return msg.getClass().getSimpleName();
    }

    private void putBack(TypedActorContext<Msg> ctx, Msg copy) {
      putBack.add(copy);
      run.events.add(ctx.asJava().getSelf(), copy);
      run.events.deliverNext();
    }
  }

  private static final Map<Class<?>, Copier> COPIERS = new ConcurrentHashMap<>();

  /** A model message record's canonical constructor and components, to copy it with another at. */
  private record Copier(Constructor<?> ctor, RecordComponent[] parts, int atIndex) {}

  /** A copy of message record {@code msg} handled at {@code at}. */
  static Msg withAt(Msg msg, long at) {
    Copier c = COPIERS.computeIfAbsent(msg.getClass(), FaultLayer::copier);
    try {
      Object[] args = new Object[c.parts.length];
      for (int i = 0; i < args.length; i++) {
        args[i] = i == c.atIndex ? at : c.parts[i].getAccessor().invoke(msg);
      }
      return (Msg) c.ctor.newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot copy " + msg, e);
    }
  }

  private static Copier copier(Class<?> type) {
    if (!type.isRecord()) {
      throw new IllegalStateException(type + " is not a record");
    }
    RecordComponent[] parts = type.getRecordComponents();
    Class<?>[] types = new Class<?>[parts.length];
    int atIndex = -1;
    for (int i = 0; i < parts.length; i++) {
      types[i] = parts[i].getType();
      parts[i].getAccessor().setAccessible(true);
      if (parts[i].getName().equals("at")) {
        atIndex = i;
      }
    }
    try {
      Constructor<?> ctor = type.getDeclaredConstructor(types);
      ctor.setAccessible(true);
      return new Copier(ctor, parts, atIndex);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }
}
