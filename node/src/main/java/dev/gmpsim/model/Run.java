package dev.gmpsim.model;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import dev.gmpsim.protocol.result.RunOptions;
import dev.gmpsim.protocol.result.RunResult;
import dev.gmpsim.protocol.scenario.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * One simulation run: builds the model's actors for a scenario (m0 running the main goroutine
 * on P0, the other Ps idle, sysmon about to tick), starts the clock, and turns what the clock
 * reports at the end into a {@link RunResult}.
 */
public final class Run extends AbstractBehavior<Run.Command> {
  /** Bumped whenever a change to the model changes results for the same scenario and seed. */
  public static final String MODEL_VERSION = "gmpsim-model/2 (go1.19-1.25 rules)";
  /** The same model under Go 1.26's syscall path (no _Psyscall; see SyscallPath). */
  public static final String MODEL_VERSION_126 = "gmpsim-model/2 (go1.26 rules)";

  static String modelVersion(dev.gmpsim.protocol.scenario.RuntimeSpec runtime) {
    return SyscallPath.of(runtime) == SyscallPath.GSYSCALL ? MODEL_VERSION_126 : MODEL_VERSION;
  }

  public sealed interface Command {}

  private record ClockFinished(Clock.Finished finished) implements Command {}

  private final RunContext run;
  private final ActorRef<RunResult> replyTo;
  private final long endTime;
  private final long wallTimeoutNs;
  private final long maxEvents;
  private final RunOptions options;
  private final BooleanSupplier cancelled;

  public static Behavior<Command> create(
      Scenario scenario, RunOptions options, ActorRef<RunResult> replyTo, Props dispatcher,
      RunContext.ActorWrapper wrapper) {
    return create(scenario, options, replyTo, dispatcher, wrapper, null, () -> false);
  }

  /**
   * A run that records what its Ms and Ps do in {@code trace} (null: no trace); once
   * {@code cancelled} is true it ends soon (within 65,536 events) with outcome "cancelled", e.g.
   * when the sweep that wanted it is gone.
   */
  public static Behavior<Command> create(
      Scenario scenario, RunOptions options, ActorRef<RunResult> replyTo, Props dispatcher,
      RunContext.ActorWrapper wrapper, TraceRecorder trace, BooleanSupplier cancelled) {
    return Behaviors.setup(ctx -> new Run(ctx, scenario, options, replyTo, dispatcher, wrapper, trace, cancelled));
  }

  private Run(
      ActorContext<Command> ctx, Scenario scenario, RunOptions options,
      ActorRef<RunResult> replyTo, Props dispatcher, RunContext.ActorWrapper wrapper,
      TraceRecorder trace, BooleanSupplier cancelled) {
    super(ctx);
    this.cancelled = cancelled;
    this.replyTo = replyTo;
    this.options = options;
    Scenario sc = options.durationNs() > 0 ? scenario.withDuration(options.durationNs()) : scenario;
    sc = sc.withSeed(options.seed());
    this.endTime = sc.duration();
    this.wallTimeoutNs = options.wallTimeoutNs();
    this.maxEvents = options.eventLimit();
    long sample = options.sampleNs() > 0 ? options.sampleNs()
        : options.schedtraceNs() > 0 ? options.schedtraceNs()
        : Math.max(1_000_000L, sc.duration() / 1000);
    // Faults: installed only when the scenario declares some, so other runs stay as they were.
    FaultLayer faults = sc.faults().isEmpty() ? null : new FaultLayer(sc, options.seed(), wrapper);
    this.run = new RunContext(sc, options.seed(), options.schedtraceNs(), options.scheddetail(),
        sample, faults == null ? wrapper : faults, dispatcher, options.goroutineLimit(), trace);
    if (faults != null) {
      faults.bind(run);
    }
    start(ctx);
  }

  private void start(ActorContext<Command> ctx) {
    int procs = run.runtime.gomaxprocs();
    ActorRef<Clock.Finished> done = ctx.messageAdapter(Clock.Finished.class, ClockFinished::new);
    run.clock = ctx.spawn(
        Clock.create(run, endTime, wallTimeoutNs, maxEvents, cancelled, done), "clock", run.dispatcher);
    for (int i = 0; i < procs; i++) {
      run.allp.add(ctx.spawn(P.create(run, i), "p" + i, run.dispatcher));
    }
    // m0 and sysmon exist before anything runs: mcount starts at 2. A cgo binary also has the
    // extra M that newextram makes for C threads calling into Go (counted, but no OS thread).
    boolean cgo = run.runtime.cgo() || run.scenario.usesCgo();
    int firstFree = cgo ? 3 : 2;
    Sched.initAtomics(run, firstFree);
    if (cgo) {
      run.stats.osThreadsDiffer(0, -1); // the extra M has no OS thread until C calls into Go
    }
    run.sched = ctx.spawn(Sched.create(run, firstFree), "sched", run.dispatcher);
    if (cgo) {
      run.mview(1);
      run.mview(2).state = "extra";
    }
    run.netpoller = ctx.spawn(Netpoller.create(run), "netpoller", run.dispatcher);
    run.sysmon = ctx.spawn(Sysmon.create(run), "sysmon", run.dispatcher);
    MView sysmonView = run.mview(1);
    sysmonView.state = "sysmon";
    if (run.trace != null) {
      run.trace.mRole(0, "m0, main thread");
      run.trace.mRole(1, "sysmon");
      if (cgo) {
        run.trace.mRole(2, "extra M for cgo callbacks");
      }
    }
    ActorRef<M.Command> m0 = ctx.spawn(M.createM0(run), "m0", run.dispatcher);
    run.mview(0);
    run.stats.setInvariantCheck(this::checkInvariants);
    if (run.scenario.allocates()) {
      run.gc = new GcController(run);
    }

    G main = run.newG(false, Programs.mainProgram(run));
    main.group = "main";
    List<Clock.Out> initial = new ArrayList<>();
    // m0 starts in schedule() holding P0: the P hands it the main goroutine.
    initial.add(out(run.allp.get(0), new P.Acquire(0, m0, 0, false, main, false, null), true));
    Sysmon.Tick first = Sysmon.usleep(run, run.sysmon, 0, Sysmon.MIN_DELAY_NS, 0);
    if (first != null) {
      initial.add(out(run.sysmon, first, false));
    }
    if (run.faults != null) {
      initial.addAll(run.faults.initial()); // gomaxprocs and max-threads: calls at a time
      initial.addAll(run.faults.initial(m0)); // crashes and pauses, at their times
    }
    run.clock.tell(new Clock.Start(initial));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Clock.Out out(ActorRef<?> to, Msg msg, boolean unused) {
    return new Clock.Out((ActorRef) to, msg);
  }

  /** Run at every sample: thread accounting and where every goroutine is. */
  private boolean checkInvariants(long at) {
    Atomics a = run.atomics;
    if (a.mcount != run.stats.msAlive()) {
      run.stats.violation("mcount " + a.mcount + " but " + run.stats.msAlive() + " threads alive at " + at + "ns");
      return false;
    }
    long placed = 0;
    for (G.Where w : G.Where.values()) {
      if (w != G.Where.TRANSIT && w != G.Where.DEAD) {
        placed += run.stats.in(w);
      }
    }
    if (placed > run.allgs.size()) {
      run.stats.violation(placed + " goroutines placed but only " + run.allgs.size() + " alive");
      return false;
    }
    run.liveness.sample(at);
    return true;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder().onMessage(ClockFinished.class, this::onFinished).build();
  }

  private Behavior<Command> onFinished(ClockFinished f) {
    Clock.Finished fin = f.finished();
    String outcome = fin.outcome();
    if ("ok".equals(outcome)) {
      outcome = checkNoGLost(fin.inFlight());
    }
    if ("ok".equals(outcome)) {
      String lost = run.liveness.atEnd();
      outcome = lost == null ? outcome : lost;
    }
    if (run.faults != null) {
      outcome = run.faults.explain(outcome);
    }
    if (run.trace != null) {
      run.trace.finish(fin.virtualTimeNs());
    }
    replyTo.tell(Summaries.result(run, fin, outcome, options));
    return Behaviors.stopped();
  }

  /** Every live goroutine is in some queue, on some M, parked, or inside a pending message. */
  private String checkNoGLost(List<G> inFlight) {
    java.util.Set<Long> flying = new java.util.HashSet<>();
    for (G g : inFlight) {
      flying.add(g.id);
    }
    for (G g : run.allgs.values()) {
      if (g.where == G.Where.TRANSIT && !flying.contains(g.id)) {
        return "invariant-violated: G" + g.id + " is lost (in no queue, on no M, in no message)";
      }
    }
    return "ok";
  }
}
