package dev.gmpsim.model;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import dev.gmpsim.protocol.scenario.RuntimeSpec;
import dev.gmpsim.protocol.scenario.Scenario;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Everything the actors of one run share: the scenario, the seeded random source, the lock-free
 * words ({@link Atomics}), the statistics, the channels, and the actors' addresses. The clock
 * runs one actor at a time, so none of this is touched concurrently.
 */
public final class RunContext {
  final Scenario scenario;
  final RuntimeSpec runtime;
  /** runtime.goMinor(), parsed once: the scheduler asks it on hot paths. */
  final int goMinor;
  final Costs cost;
  final SplittableRandom rng;
  final Atomics atomics;
  final RunStats stats;
  final List<Chan> chans = new ArrayList<>();
  final Map<String, Integer> chanIds = new LinkedHashMap<>();
  final List<WaitGroup> waitgroups = new ArrayList<>();
  final Map<String, Integer> waitgroupIds = new LinkedHashMap<>();
  /** The program's atomic.Bool flags, by the index Programs gives each name. */
  boolean[] flags = new boolean[0];
  final Map<String, Integer> flagIds = new LinkedHashMap<>();
  /** Per flag, the goroutines parked until it is set (groups' start-when). */
  final List<java.util.ArrayDeque<G>> flagWaiters = new ArrayList<>();
  final List<Pipe> pipes = new ArrayList<>();
  final Map<String, Integer> pipeIds = new LinkedHashMap<>();
  final List<Arrivals> arrivals = new ArrayList<>();
  final Map<Long, G> allgs = new LinkedHashMap<>();
  final List<MView> ms = new ArrayList<>();
  final ActorWrapper wrapper;
  /** Where the run's actors execute: one single-threaded dispatcher per run is fastest. */
  final akka.actor.typed.Props dispatcher;
  final long schedtraceEvery;
  final boolean scheddetail;
  /** The simulator's own limits (not the runtime's): reaching one ends the run. */
  final long maxGoroutines;
  /** The kernel's CPU scheduler when the scenario declares a machine, else null (CPUs never wait). */
  final Cpus cpus;
  /** The kernel's timers when the scenario declares a machine, else null (sleeps end a fixed slack late). */
  final HrTimers hrtimers;
  /** The run's trace recorder, or null (the usual case): every hook checks. */
  final TraceRecorder trace;
  /** The group each spawned program belongs to (by identity), for trace names. */
  final Map<Op[], String> groupOf = new java.util.IdentityHashMap<>();
  private long goidgen;

  // Addresses, set once by the run before the clock starts.
  ActorRef<Clock.Command> clock;
  EventList events;
  ActorRef<Sched.Command> sched;
  ActorRef<Netpoller.Command> netpoller;
  ActorRef<Sysmon.Command> sysmon;
  final List<ActorRef<P.Command>> allp = new ArrayList<>();

  RunContext(
      Scenario scenario, long seed, long schedtraceEvery, boolean scheddetail, long sampleEvery,
      ActorWrapper wrapper, akka.actor.typed.Props dispatcher, long maxGoroutines) {
    this(scenario, seed, schedtraceEvery, scheddetail, sampleEvery, wrapper, dispatcher, maxGoroutines, null);
  }

  RunContext(
      Scenario scenario, long seed, long schedtraceEvery, boolean scheddetail, long sampleEvery,
      ActorWrapper wrapper, akka.actor.typed.Props dispatcher, long maxGoroutines, TraceRecorder trace) {
    this.scenario = scenario;
    this.runtime = scenario.runtime();
    this.goMinor = runtime.goMinor();
    this.rng = new SplittableRandom(seed);
    this.cost = new Costs(runtime.costs(), rng, runtime.timerSlack());
    this.atomics = new Atomics(runtime.gomaxprocs(), maxProcs(scenario));
    this.stats = new RunStats(atomics, scenario.warmup(), sampleEvery);
    this.schedtraceEvery = schedtraceEvery;
    this.scheddetail = scheddetail;
    this.wrapper = wrapper;
    this.dispatcher = dispatcher;
    this.maxGoroutines = maxGoroutines;
    this.trace = trace;
    this.cpus = scenario.machine().declared()
        ? new Cpus(scenario.machine(), Math.round(runtime.costs().contextSwitch().mean()), scenario.warmup())
        : null;
    this.hrtimers = scenario.machine().timers() ? new HrTimers(scenario.machine().cpus()) : null;
    if (trace != null) {
      trace.bind(this);
    }
  }

  /** The most Ps the run can have: GOMAXPROCS, or more if a gomaxprocs fault asks for more. */
  static int maxProcs(Scenario scenario) {
    int n = scenario.runtime().gomaxprocs();
    for (dev.gmpsim.protocol.scenario.Fault f : scenario.faults()) {
      if (f.kind() == dev.gmpsim.protocol.scenario.Fault.Kind.GOMAXPROCS) {
        n = Math.max(n, f.procs());
      }
    }
    return n;
  }

  RunStats stats() {
    return stats;
  }

  G newG(boolean system, Op[] program) {
    G g = new G(++goidgen, system, program);
    allgs.put(g.id, g);
    if (allgs.size() > maxGoroutines && events != null) {
      // A runaway scenario: stop before the heap does, with an outcome that says why.
      events.halt(String.format(java.util.Locale.ROOT, "limit: %,d goroutines", maxGoroutines));
    }
    stats.goroutineCreated();
    return g;
  }

  void gDead(G g) {
    allgs.remove(g.id);
    stats.goroutineExited();
  }

  MView mview(int id) {
    while (ms.size() <= id) {
      ms.add(new MView(ms.size()));
    }
    return ms.get(id);
  }

  /**
   * False when faults are installed: then every message reaches its actor through the mailbox,
   * and so through the interceptors around its behavior, instead of being handled in place
   * ({@link SimActor}). Delivery order is the event list's either way. The system property
   * {@code gmpsim.inPlace=false} turns it off in every run (InPlaceTest compares the two paths).
   */
  boolean inPlace = !"false".equals(System.getProperty("gmpsim.inPlace"));

  /** The garbage collector, or null when no step allocates (then nothing of it runs). */
  GcController gc;

  /** The run's fault injection, or null when the scenario declares no faults. */
  FaultLayer faults;

  /** checkdead, stalled runs, lost Ps and goroutines: outcomes the model detects. */
  final Liveness liveness = new Liveness(this);

  /** Wraps a model actor's behavior, e.g. in fault-injecting interceptors. */
  <T> Behavior<T> wrap(String kind, Behavior<T> behavior) {
    return wrapper.wrap(kind, -1, behavior);
  }

  /** Wraps the behavior of actor {@code index} of a kind with many (P[2], M[5]). */
  <T> Behavior<T> wrap(String kind, int index, Behavior<T> behavior) {
    return wrapper.wrap(kind, index, behavior);
  }

  /** The hook through which fault injection wraps the model's actors; identity by default. */
  public interface ActorWrapper {
    <T> Behavior<T> wrap(String kind, Behavior<T> behavior);

    /** {@code index}: the P or M number, -1 for the actors there is one of. */
    default <T> Behavior<T> wrap(String kind, int index, Behavior<T> behavior) {
      return wrap(kind, behavior);
    }

    ActorWrapper NONE =
        new ActorWrapper() {
          @Override
          public <T> Behavior<T> wrap(String kind, Behavior<T> behavior) {
            return behavior;
          }
        };
  }
}
