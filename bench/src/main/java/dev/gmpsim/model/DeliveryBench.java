package dev.gmpsim.model;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.ConfigFactory;
import dev.gmpsim.protocol.scenario.Scenario;
import dev.gmpsim.protocol.scenario.ScenarioLoader;
import dev.gmpsim.run.Simulation;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One delivery through the clock and SimActor, with no model behind it: two actors on a run's
 * single-threaded dispatcher send each other one message per nanosecond of virtual time
 * ({@code mailbox}: every event is an Akka message to the other actor), or one actor sends
 * itself ({@code inPlace}: SimActor handles the next event without the mailbox). One invocation
 * is a run of {@link #EVENTS} events; the score is per event, run setup included (a few actors
 * spawned per 100,000 events).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DeliveryBench {
  static final int EVENTS = 100_000;
  private static final AtomicLong RUNS = new AtomicLong();

  interface PingMsg extends Msg {}

  record Ping(long at) implements PingMsg {}

  /** Sends one Ping to actor {@code refs[peer]} (itself when {@code peer} < 0) per Ping it gets, 1ns later. */
  static final class Pinger extends SimActor<PingMsg> {
    private final List<ActorRef<PingMsg>> refs;
    private final int peer;

    Pinger(ActorContext<PingMsg> ctx, RunContext run, List<ActorRef<PingMsg>> refs, int peer) {
      super(ctx, run);
      this.refs = refs;
      this.peer = peer;
    }

    @Override
    Handlers<PingMsg> handlers() {
      return Handlers.<PingMsg>create().on(Ping.class, p -> {
        // To itself through its own context's ref, as the model's actors do: the ref spawn
        // returned is another object for the same actor, and in-place delivery goes by identity.
        send(peer < 0 ? getContext().getSelf() : refs.get(peer), new Ping(now + 1));
        return this;
      });
    }
  }

  private ActorSystem<Void> system;
  private Scenario scenario;

  @Setup(Level.Trial)
  public void setup() throws Exception {
    system = ActorSystem.create(Behaviors.empty(), "gmpsim-jmh", ConfigFactory.parseString(
        Simulation.DISPATCHER + ".shutdown-timeout = 1h").withFallback(Simulation.quietConfig()));
    scenario = ScenarioLoader.parse("delivery.yaml", """
        name: delivery
        duration: 1s
        workload:
          - {name: idle, kind: goroutines, count: 1, steps: [{sleep: 1s}]}
        """);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().join();
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long mailbox() {
    return run(false);
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long inPlace() {
    return run(true);
  }

  /** A run of {@link #EVENTS} Pings; returns the events the clock counted. */
  long run(boolean self) {
    CompletableFuture<Clock.Finished> done = new CompletableFuture<>();
    Props props = DispatcherSelector.fromConfig(Simulation.DISPATCHER);
    RunContext run = new RunContext(scenario, 1, 0, false, Long.MAX_VALUE / 4,
        RunContext.ActorWrapper.NONE, props, Long.MAX_VALUE);
    // The actors' addresses, filled in before the clock starts (the first Ping comes after).
    List<ActorRef<PingMsg>> refs = new java.util.ArrayList<>();
    system.systemActorOf(Behaviors.<Clock.Finished>setup(ctx -> {
      run.clock = ctx.spawn(Clock.create(run, EVENTS, ctx.getSelf()), "clock", props);
      refs.add(ctx.spawn(Behaviors.setup(c -> new Pinger(c, run, refs, self ? -1 : 1)), "a", props));
      if (!self) {
        refs.add(ctx.spawn(Behaviors.setup(c -> new Pinger(c, run, refs, 0)), "b", props));
      }
      run.clock.tell(new Clock.Start(List.of(out(refs.get(0), new Ping(1)))));
      return Behaviors.receiveMessage(f -> {
        done.complete(f);
        return Behaviors.stopped();
      });
    }), "delivery-" + RUNS.incrementAndGet(), Props.empty());
    Clock.Finished f = done.join();
    if (f.events() != EVENTS) {
      throw new IllegalStateException("expected " + EVENTS + " events, the clock counted " + f.events());
    }
    return f.events();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static Clock.Out out(ActorRef<?> to, Msg msg) {
    return new Clock.Out((ActorRef) to, msg);
  }
}
