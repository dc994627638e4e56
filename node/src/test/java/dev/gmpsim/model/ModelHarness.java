package dev.gmpsim.model;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import dev.gmpsim.protocol.scenario.Scenario;
import dev.gmpsim.protocol.scenario.ScenarioLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs some of a run's model actors for real and stands in for the others with recording stubs,
 * so a test can drive one mechanism with messages and see exactly what the actors send.
 *
 * <p>A stub forwards each message it gets to a {@link TestProbe} (with its delivery time, which
 * is the message's {@code at}) and then delivers the run's next event, so the run goes on. An M
 * stub takes the G of an Execute, as a real M would. Put
 * the first messages in with {@link #at}, then {@link #start}; the run ends when nothing is left
 * before {@code endTime}, and {@link #awaitEnd} returns the clock's report.
 */
final class ModelHarness {
  private static final AtomicLong NAMES = new AtomicLong();

  /** A message for a {@link #hook}: its action runs at {@code at}, in the run's order. */
  record Poke(long at) implements Msg {}

  final ActorTestKit kit;
  final RunContext run;
  final TestProbe<Clock.Finished> finished;
  private final List<Clock.Out> initial = new ArrayList<>();
  private final long endTime;

  ModelHarness(ActorTestKit kit, Scenario scenario, long endTime, long schedtraceEvery) {
    this.kit = kit;
    this.endTime = endTime;
    // A scenario with faults gets them, as a run would: real actors made after this are wrapped.
    FaultLayer faults = scenario.faults().isEmpty() ? null
        : new FaultLayer(scenario, scenario.seed(), RunContext.ActorWrapper.NONE);
    this.run = new RunContext(scenario, scenario.seed(), schedtraceEvery, false, 1_000_000_000L,
        faults == null ? RunContext.ActorWrapper.NONE : faults, Props.empty(),
        dev.gmpsim.protocol.result.RunOptions.DEFAULT_MAX_GOROUTINES);
    if (faults != null) {
      faults.bind(run);
    }
    this.finished = kit.createTestProbe(Clock.Finished.class);
    for (int i = 0; i < scenario.runtime().gomaxprocs(); i++) {
      run.allp.add(null);
    }
    boolean cgo = scenario.runtime().cgo() || scenario.usesCgo();
    Sched.initAtomics(run, cgo ? 3 : 2);
  }

  /** A scenario from YAML text, for tests. */
  static Scenario scenario(String yaml) {
    try {
      return ScenarioLoader.parse("test.yaml", yaml);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** A minimal scenario: GOMAXPROCS {@code procs}, default costs and rules. */
  static Scenario minimal(int procs) {
    return scenario("runtime: {gomaxprocs: " + procs + "}\nworkload:\n  - kind: goroutines\n    steps: [block]\n");
  }

  /**
   * GOMAXPROCS {@code procs} with costs that make times exact: no timer slack (sysmon sleeps
   * exactly 20us), futex-wake 5us, clone 10us, futex-park 1us. {@code runtimeExtra} adds keys to
   * the runtime map in flow style, e.g. {@code "retake: threshold, retake-threshold: 10us"}.
   */
  static Scenario exact(int procs, String runtimeExtra) {
    String extra = runtimeExtra == null || runtimeExtra.isEmpty() ? "" : runtimeExtra + ", ";
    return scenario(
        "runtime: {gomaxprocs: " + procs + ", " + extra
            + "costs: {timer-slack: 0, futex-wake: 5us, clone: 10us, futex-park: 1us}}\n"
            + "workload:\n  - kind: goroutines\n    steps: [block]\n");
  }

  /** A stub for an actor of message type {@code T}: what it receives goes to the probe. */
  <T extends Msg> ActorRef<T> stub(TestProbe<Msg> probe, String name) {
    return stub(probe, name, m -> List.of());
  }

  /**
   * A stub that also answers: the messages {@code replies} returns for what it receives are
   * sent through the clock (like an actor's sends) before the run goes on.
   */
  <T extends Msg> ActorRef<T> stub(
      TestProbe<Msg> probe, String name, Function<Msg, List<Clock.Out>> replies) {
    Behavior<Msg> b =
        Behaviors.receiveMessage(
            m -> {
              if (m instanceof M.Execute e) {
                // Like a real M, the stub now holds the G it was given.
                e.g().place(G.Where.ON_M, run.stats);
                e.g().status = G.Status._Grunning;
              }
              probe.getRef().tell(m);
              run.events.add(replies.apply(m));
              run.events.deliverNext();
              return Behaviors.same();
            });
    return kit.<Msg>spawn(b, name + "-" + NAMES.incrementAndGet()).narrow();
  }

  /** A stub P that answers sysmon's Retake with RetakeResult({@code retaken}), at once. */
  ActorRef<P.Command> retakeAnsweringP(TestProbe<Msg> probe, String name, int retaken) {
    return stub(
        probe,
        name,
        m ->
            m instanceof P.Retake r
                ? List.of(out(run.sysmon, new Sysmon.RetakeResult(r.at(), retaken)))
                : List.of());
  }

  /**
   * An actor that runs {@code action} when it gets a {@link Poke}, at the poke's virtual time and
   * in the run's order (e.g. to change an atomic word the way its owner would at that moment).
   */
  ActorRef<Poke> hook(String name, Consumer<Poke> action) {
    Behavior<Poke> b =
        Behaviors.receiveMessage(
            m -> {
              action.accept(m);
              run.events.deliverNext();
              return Behaviors.same();
            });
    return kit.spawn(b, name + "-" + NAMES.incrementAndGet());
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static Clock.Out out(ActorRef<?> to, Msg msg) {
    return new Clock.Out((ActorRef) to, msg);
  }

  /**
   * Everything {@code probe} has got and will get: call after {@link #awaitEnd} (the stubs have
   * sent all they will), it waits until the probe has been quiet for a moment.
   */
  static List<Msg> drain(TestProbe<Msg> probe) {
    List<Msg> out = new ArrayList<>();
    while (true) {
      try {
        out.add(probe.receiveMessage(Duration.ofMillis(150)));
      } catch (AssertionError timeout) {
        return out;
      }
    }
  }

  /** The messages of class {@code type} in {@code msgs}, in order. */
  static <T> List<T> only(List<Msg> msgs, Class<T> type) {
    List<T> out = new ArrayList<>();
    for (Msg m : msgs) {
      if (type.isInstance(m)) {
        out.add(type.cast(m));
      }
    }
    return out;
  }

  /** Installs the clock and its event list; call before spawning model actors. */
  ModelHarness withClock() {
    ActorRef<Clock.Finished> done = finished.getRef();
    run.clock = kit.spawn(Clock.create(run, endTime, done), "clock-" + System.nanoTime());
    return this;
  }

  ActorRef<P.Command> realP(int id) {
    ActorRef<P.Command> p = kit.spawn(P.create(run, id), "p" + id + "-" + System.nanoTime());
    run.allp.set(id, p);
    return p;
  }

  ActorRef<Sched.Command> realSched(int firstFreeMId) {
    run.sched = kit.spawn(Sched.create(run, firstFreeMId), "sched-" + System.nanoTime());
    return run.sched;
  }

  ActorRef<Sysmon.Command> realSysmon() {
    run.sysmon = kit.spawn(Sysmon.create(run), "sysmon-" + System.nanoTime());
    return run.sysmon;
  }

  ActorRef<Netpoller.Command> realNetpoller() {
    run.netpoller = kit.spawn(Netpoller.create(run), "netpoller-" + System.nanoTime());
    return run.netpoller;
  }

  ActorRef<M.Command> realM(int id) {
    run.stats.mAlive(1);
    return kit.spawn(M.create(run, id, false), "m" + id + "-" + System.nanoTime());
  }

  /** Queues {@code msg} for {@code to} before the run starts (delivered at {@code msg.at()}). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  <T extends Msg> ModelHarness at(ActorRef<T> to, T msg) {
    initial.add(new Clock.Out((ActorRef) to, msg));
    return this;
  }

  ModelHarness start() {
    run.clock.tell(new Clock.Start(new ArrayList<>(initial)));
    return this;
  }

  Clock.Finished awaitEnd() {
    return finished.receiveMessage(Duration.ofSeconds(20));
  }

  /** A goroutine that is not on any queue, as if just taken out of one. */
  G g(Op... program) {
    return run.newG(false, program);
  }
}
