package dev.gmpsim.protocol.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.Serializers;
import com.typesafe.config.ConfigFactory;
import dev.gmpsim.protocol.GmpsimSerializable;
import dev.gmpsim.protocol.result.RunOptions;
import dev.gmpsim.protocol.result.RunResult;
import dev.gmpsim.protocol.result.RunSummary;
import dev.gmpsim.protocol.scenario.CostTable;
import dev.gmpsim.protocol.scenario.Dist;
import dev.gmpsim.protocol.scenario.Fault;
import dev.gmpsim.protocol.scenario.Machine;
import dev.gmpsim.protocol.scenario.Group;
import dev.gmpsim.protocol.scenario.RuntimeSpec;
import dev.gmpsim.protocol.scenario.Scenario;
import dev.gmpsim.protocol.scenario.ScenarioLibrary;
import dev.gmpsim.protocol.scenario.ScenarioLoader;
import dev.gmpsim.protocol.scenario.Step;
import dev.gmpsim.protocol.scenario.Sync;
import dev.gmpsim.protocol.sweep.RunDone;
import dev.gmpsim.protocol.sweep.RunRequest;
import java.io.NotSerializableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KryoSerializerTest {
  /** Holds a typed reference; registered by this test's config only. */
  public record WithRef(String text, ActorRef<String> replyTo) implements GmpsimSerializable {}

  /** Carries any value, to put protocol data (and unregistered classes) inside a message. */
  public record Holder(String label, Object payload) implements GmpsimSerializable {}

  /** Bound to the Kryo serializer by its interface, but never registered. */
  public record Unregistered(String text) implements GmpsimSerializable {}

  static ActorTestKit testKit;
  static Serialization serialization;

  @BeforeAll
  static void start() {
    testKit =
        ActorTestKit.create(
            ConfigFactory.parseString(
                    String.join(
                        "\n",
                        "akka.actor.serialize-messages = on",
                        "gmpsim.kryo.registrations {",
                        "  \"" + WithRef.class.getName() + "\" = 900",
                        "  \"" + Holder.class.getName() + "\" = 901",
                        "}"))
                .withFallback(ConfigFactory.load()));
    serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** Serializes through the extension, checks the serializer, deserializes with the manifest. */
  static <T> T roundTrip(T message) {
    Serializer serializer = serialization.findSerializerFor(message);
    assertInstanceOf(KryoSerializer.class, serializer, "serializer of " + message.getClass());
    assertEquals(7700, serializer.identifier());
    byte[] bytes = serialization.serialize(message).get();
    String manifest = Serializers.manifestFor(serializer, message);
    @SuppressWarnings("unchecked")
    T back = (T) serialization.deserialize(bytes, serializer.identifier(), manifest).get();
    assertNotSame(message, back);
    assertEquals(message, back);
    return back;
  }

  static Path examples() {
    Path up = Path.of("../examples");
    return Files.isDirectory(up) ? up : Path.of("examples");
  }

  @Test
  void runRequestForEveryExampleScenario() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(examples())) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertFalse(files.isEmpty(), "no examples/*.yaml found from " + Path.of("").toAbsolutePath());
    for (Path f : files) {
      Scenario scenario = ScenarioLoader.load(f);
      Map<String, String> params = new LinkedHashMap<>();
      params.put("gomaxprocs", "8");
      params.put("retake", "threshold");
      RunRequest back = roundTrip(new RunRequest("run-" + f.getFileName(), scenario, 42L, params, 1));
      assertEquals(scenario, back.scenario(), f.toString());
      roundTrip(new RunRequest("b", scenario, -1L, Map.of("k", "v"), 2));
      roundTrip(new RunRequest("c", scenario, 7L, Map.of(), 3));
      roundTrip(new RunRequest("d", scenario, 7L, new TreeMap<>(params), 3));
    }
  }

  /** A scenario using every step, distribution, group kind and runtime option. */
  static Scenario everything() {
    Dist hist = Dist.parse("hist(1ms: 90, 10ms: 9, 100ms: 1)");
    List<Step> all =
        List.of(
            new Step.Compute(Dist.parse("exp(50us)")),
            new Step.Syscall("read", Dist.parse("uniform(1us, 5us)")),
            new Step.SyscallBlock("futex", Dist.parse("normal(10ms, 2ms)")),
            new Step.Cgo(Dist.parse("lognormal(1ms, 20ms)")),
            new Step.Cgo(Dist.parse("1ms"), Dist.parse("0")),
            new Step.Syscall("nanosleep", Dist.parse("1ms"), Dist.parse("exp(50us)")),
            new Step.Vdso("clock_gettime"),
            new Step.NetRead(hist),
            new Step.NetWrite(),
            new Step.Sleep(Dist.parse("mix(0.9, 2us, hist(5ms: 1, 6ms: 3))")),
            new Step.Acquire("db"),
            new Step.Release("db"),
            new Step.LockOSThread(),
            new Step.UnlockOSThread(),
            new Step.Spawn(List.of(new Step.Compute(Dist.parse("20us")), new Step.Exit())),
            new Step.Loop(3, List.of(new Step.Gosched(), new Step.Call("sub"))),
            new Step.FileRead(10 * 1024, 4096, 0.9, Dist.parse("2us"), Dist.parse("1ms"), Dist.parse("3us"), Dist.parse("1us")),
            new Step.Call("sub"),
            new Step.Block(),
            new Step.PipeWrite("p"),
            new Step.PipeRead("p", Dist.parse("5ms"), Step.OnError.BREAK),
            new Step.PipeClose("p", Step.End.WRITE),
            new Step.Exit());
    CostTable costs =
        new CostTable(hist, null, null, null, Dist.parse("40us"), null, null, null, null, null, null, null,
            Dist.parse("uniform(10us, 20us)"), null, null, null, null, null, Dist.parse("exp(2us)"));
    RuntimeSpec rt =
        new RuntimeSpec(null, 8, 2.5, "1.25", true, RuntimeSpec.Retake.THRESHOLD, 20_000L,
            RuntimeSpec.IdleMs.POOL, 8, 500, false, costs, 1_000L);
    List<Group> groups =
        List.of(
            new Group("conns", Group.Kind.CONNECTIONS, 100, null, null, null, null, Dist.parse("exp(500ms)"), null, all, null),
            new Group("paced", Group.Kind.CONNECTIONS, 10, null, null, null, null, null, Dist.parse("200ms"), List.of(new Step.NetWrite()), null),
            new Group("sched", Group.Kind.ARRIVALS, null, null, Group.Arrival.CONSTANT,
                List.of(new Group.RatePoint(0L, "1k/s"), new Group.RatePoint(1_000_000L, "2k/s")), null, null, null,
                List.of(new Step.Compute(Dist.parse("1us"))), 5L),
            new Group("bursty", Group.Kind.ARRIVALS, null, "500/s", null, null, new Group.Bursts(1000L, 2000L), null, null,
                List.of(new Step.Exit()), null),
            new Group(null, Group.Kind.GOROUTINES, 4, null, null, null, null, null, null, List.of(new Step.Block()), null),
            new Group("ticked", Group.Kind.CONNECTIONS, 3, null, null, null, null, null, null, List.of(new Step.NetWrite()), 0L,
                2_000L, new Group.StartWhen("stop", null), 10_000_000L));
    Map<String, List<Step>> steps = new LinkedHashMap<>();
    steps.put("sub", new ArrayList<>(List.of(new Step.Compute(Dist.parse("5us")))));
    steps.put("other", Arrays.asList(new Step.NetWrite()));
    return new Scenario("everything", "all of it", new ArrayList<>(List.of("lib.yaml")), rt, 3_000_000_000L,
        1_000_000L, 9L, 100_000_000L, Map.of("db", 4),
        new Sync(Map.of("handoff", 0), Map.of("ready", 3), List.of("stop"), Map.of("p", 4)), steps, groups,
        List.of(new Fault("late", Fault.Kind.DELAY, "P[*]", "Retake", 1_000L, 2_000L, 0.5, null, Dist.parse("exp(1ms)"), null, null),
            new Fault(null, Fault.Kind.CLONE_FAILS, null, null, null, null, null, null, null, 500, null),
            // Environment faults: their own fields cross nodes too.
            new Fault(null, Fault.Kind.SYSCALL_LATENCY, null, null, 5L, null, 0.2, null, Dist.parse("5ms"), null, 3, "read", null, null, null),
            new Fault(null, Fault.Kind.GOMAXPROCS, null, null, null, null, null, null, null, null, null, null, 7L, 2, null),
            new Fault(null, Fault.Kind.CRASH, "P[1]", null, null, null, null, null, null, null, null, null, 2L,
                null, Fault.Supervision.RESTART)),
        // The machine block and both forms of its background load.
        new dev.gmpsim.protocol.scenario.Heap(50L << 20, 1L << 20),
        new Machine(2, new Machine.Background(List.of(new Machine.Phase(0L, 0.5), new Machine.Phase(1_000_000_000L, 1.5)))));
  }

  @Test
  void everyStepDistAndGroupKind() {
    Scenario s = everything();
    RunRequest back = roundTrip(new RunRequest("all", s, 1, Map.of("a", "b", "c", "d"), 0));
    Dist.Hist h = (Dist.Hist) ((Step.NetRead) back.scenario().workload().get(0).steps().get(7)).delay();
    assertEquals(3, h.values().length);
    roundTrip(new Holder("library", new ScenarioLibrary("lib", List.of("x.yaml"), Map.of("db", 2), s.steps())));
    roundTrip(new Holder("problem", new Scenario.Problem("steps.sub[0]", "bad")));
    roundTrip(new Holder("options", RunOptions.seed(5).withSchedtrace(1_000_000, true).withDuration(9)));
    roundTrip(new Holder("limits", RunOptions.seed(5).withLimits(1000, 2000).withWallTimeout(7)));
    roundTrip(new Holder("runtime", RuntimeSpec.DEFAULTS));
  }

  static RunSummary summary() {
    Map<String, RunSummary.SyscallRow> table = new TreeMap<>();
    table.put("read", new RunSummary.SyscallRow(1000, 5_000_000, 12));
    table.put("futex", new RunSummary.SyscallRow(17, 900_000, 0));
    return new RunSummary("workload-a", "model-7", "1.22", 4, "ok", 42, 5_000_000_000L,
        new RunSummary.Window(500_000_000L, 5_000_000_000L, 30, 5006), 123_456_789L,
        RunSummary.Threads.of(new RunSummary.Count(12, 9, 10.5), new RunSummary.Count(11, 8, 9.5)), new RunSummary.Ms(14, 3, 2), 77, 31,
        new RunSummary.Exitsyscall(900, 100), 1017, 5, 200, 33, 0.875,
        new RunSummary.Percentiles(10_000, 500, 900, 2_000, 10_000, 50_000, 712.25),
        new RunSummary.Percentiles(9_000, 50_000, 90_000, 1_000_000, 3_000_000, 9_000_000, 81_234.5),
        new RunSummary.Goroutines(5000, 5100, 4990),
        new RunSummary.Scheduler(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13), table,
        new RunSummary.Invariants(1_000_000, 0),
        metrics(),
        new RunSummary.Settings(42, 5_000_000_000L, 500_000_000L, 0, false, 5_000_000L, 0,
            2_000_000, 10_000_000, "1.22", 4, true, true, "go", 10_000, "keep", 64, 10_000),
        List.of(new RunSummary.FaultReport("late", "delay", 2,
            List.of(new RunSummary.Firing(1_000, "P[1]", "Retake", "delay 1ms"),
                new RunSummary.Firing(1_500, "P[0]", "Retake", "delay 2ms")))),
        new RunSummary.Gc(61, 122, 15_000, 53_674, 2_373_275, 0.003, 12_289_525, 0, 18_866_986, 24_146,
            181_288_960L, 1L << 20, 4L << 20, 4_047_328, "100", 64L << 20),
        new RunSummary.Cpu(2, 0.5, 0.61, 0.86, 120_000, 0.12, 0, 250_000, 1_400_000, 3_000,
            new RunSummary.Timers(90_000, 0.4, 21_000)));
  }

  static Map<String, RunSummary.RuntimeMetric> metrics() {
    Map<String, RunSummary.RuntimeMetric> m = new java.util.LinkedHashMap<>();
    m.put("/sched/gomaxprocs:threads", new RunSummary.RuntimeMetric("1.16", 4L, null));
    m.put("/sched/latencies:seconds", new RunSummary.RuntimeMetric("1.17", null,
        List.of(new RunSummary.Bucket(0.000_001, 0.000_002, 7))));
    return m;
  }

  @Test
  void runDoneWithFullSummary() {
    RunSummary summary = summary();
    RunDone back = roundTrip(new RunDone("run-1", summary, "ok", "node-a:2552", 1_234_567, 2));
    assertEquals(summary.syscallTable(), back.summary().syscallTable());
    assertEquals(List.copyOf(summary.syscallTable().keySet()), List.copyOf(back.summary().syscallTable().keySet()));
    roundTrip(new RunDone("run-2", null, "fatal: all goroutines are asleep", "node-b", 5, 1));
    roundTrip(new Holder("result", new RunResult(summary, "SCHED 0ms: gomaxprocs=4", "t,threads\n0,5\n")));
  }

  @Test
  void actorRefInsideMessageResolvesToAWorkingRef() {
    TestProbe<String> probe = testKit.createTestProbe(String.class);
    WithRef back = roundTrip(new WithRef("hello", probe.getRef()));
    back.replyTo().tell("through the copy");
    probe.expectMessage("through the copy");
    // The ActorSystem (a typed ActorRef too) and a null reference.
    roundTrip(new Holder("no ref", null));
    roundTrip(new Holder("probe", probe.getRef()));
    roundTrip(new Holder("classic", Adapter.toClassic(probe.getRef())));
  }

  @Test
  void messagesBetweenActorsArriveEqualWithSerializeMessages() {
    TestProbe<GmpsimSerializable> probe = testKit.createTestProbe(GmpsimSerializable.class);
    Behavior<GmpsimSerializable> echo =
        Behaviors.receiveMessage(
            m -> {
              if (m instanceof WithRef w) {
                w.replyTo().tell(w.text());
              } else {
                probe.getRef().tell(m);
              }
              return Behaviors.same();
            });
    ActorRef<GmpsimSerializable> actor = testKit.spawn(echo);
    RunRequest request = new RunRequest("r", everything(), 3, Map.of("p", "1"), 1);
    RunDone done = new RunDone("r", summary(), "ok", "n", 10, 1);
    actor.tell(request);
    actor.tell(done);
    GmpsimSerializable got = probe.receiveMessage();
    assertEquals(request, got);
    assertNotSame(request, got, "serialize-messages should have copied the message");
    assertEquals(done, probe.receiveMessage());
    TestProbe<String> replies = testKit.createTestProbe(String.class);
    actor.tell(new WithRef("pong", replies.getRef()));
    replies.expectMessage("pong");
  }

  @Test
  void unregisteredClassFailsNamingIt() {
    Unregistered top = new Unregistered("x");
    assertInstanceOf(KryoSerializer.class, serialization.findSerializerFor(top));
    Throwable e = serialization.serialize(top).failed().get();
    assertTrue(e.getMessage().contains(Unregistered.class.getName()), e.getMessage());
    assertFalse(e.getMessage().contains("kryo.register("), e.getMessage());

    Throwable nested = serialization.serialize(new Holder("inside", new Unregistered("y"))).failed().get();
    assertTrue(nested.getMessage().contains(Unregistered.class.getName()), nested.getMessage());
    assertTrue(nested.getMessage().contains(KryoRegistrations.PATH), nested.getMessage());

    KryoSerializer kryo = (KryoSerializer) serialization.findSerializerFor(top);
    assertThrows(NotSerializableException.class, () -> kryo.fromBinary(new byte[0], "999"));
    assertThrows(NotSerializableException.class, () -> kryo.fromBinary(new byte[0], "RunRequest"));
  }

  @Test
  void concurrentUseIsSafe() throws Exception {
    KryoSerializer kryo = (KryoSerializer) serialization.serializerFor(RunRequest.class);
    RunRequest request = new RunRequest("c", everything(), 1, Map.of(), 0);
    RunDone done = new RunDone("c", summary(), "ok", "n", 1, 0);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        futures.add(pool.submit(() -> {
          for (int i = 0; i < 300; i++) {
            Object m = i % 2 == 0 ? request : done;
            Object back = kryo.fromBinary(kryo.toBinary(m), kryo.manifest(m));
            assertEquals(m, back);
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
