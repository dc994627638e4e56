package dev.gmpsim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import dev.gmpsim.protocol.result.RunOptions;
import dev.gmpsim.protocol.result.RunSummary;
import dev.gmpsim.protocol.scenario.RuntimeSpec;
import dev.gmpsim.protocol.scenario.Scenario;
import dev.gmpsim.protocol.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every scenario in examples/ run end to end for a short virtual time: it ends "ok" with no
 * broken invariant, and shows the mechanism it is about, checked as a range.
 */
class ExampleScenariosTest {
  static final long DURATION = 1_500_000_000L;
  static ActorSystem<Void> system;
  private static final Map<String, RunSummary> RESULTS = new ConcurrentHashMap<>();

  @BeforeAll
  static void setUp() {
    system = ActorSystem.create(Behaviors.empty(), "examples", Simulation.quietConfig());
  }

  @AfterAll
  static void tearDown() {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().join();
  }

  /** The repository's examples folder (tests run in node/). */
  static Path examples() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path e = p.resolve("examples");
      if (Files.isDirectory(e) && Files.exists(e.resolve("workload-a-network.yaml"))) {
        return e;
      }
    }
    throw new IllegalStateException("examples/ not found above " + Path.of("").toAbsolutePath());
  }

  static Scenario example(String file) {
    try {
      return ScenarioLoader.load(examples().resolve(file)).withDuration(DURATION);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Stream<String> exampleFiles() throws Exception {
    try (Stream<Path> files = Files.list(examples())) {
      List<String> names =
          files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList();
      assertTrue(names.size() >= 6, "examples A to E: " + names);
      return names.stream();
    }
  }

  /** Each example runs once per class, with its own seed. */
  static RunSummary result(String file) {
    return RESULTS.computeIfAbsent(file, f -> run(example(f)));
  }

  static RunSummary run(Scenario s) {
    return Simulation.run(system, s, RunOptions.seed(s.seed())).summary();
  }

  private static String describe(RunSummary s) {
    return s.scenario() + ": threads peak=" + s.threads().peak() + " final=" + s.threads().fin()
        + " outcome=" + s.outcome();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exampleFiles")
  void everyExampleRunsOkWithNoBrokenInvariant(String file) {
    RunSummary s = result(file);
    assertEquals("ok", s.outcome(), describe(s));
    assertEquals(0, s.invariants().violations());
    assertTrue(s.invariants().checked() > 0, "the invariants were checked");
    assertEquals(DURATION, s.virtualTimeNs(), "ran to the end");
    assertTrue(s.events() > 1000, "did something: " + s.events() + " events");
  }

  @Test
  void workloadAsNetworkServerStaysNearGomaxprocsThreads() {
    RunSummary s = result("workload-a-network.yaml");
    assertTrue(s.threads().peak() <= s.gomaxprocs() + 6, describe(s));
    assertTrue(s.threads().peak() >= 2, describe(s));
    // Reads and writes are short: no P is retaken, every exitsyscall is fast.
    assertEquals(0, s.retakes());
    assertEquals(0, s.exitsyscall().slow());
    assertTrue(s.exitsyscall().fast() > 1000);
    assertTrue(s.vdsoCalls() > 1000);
    assertNotNull(s.requestLatencyNs());
  }

  @Test
  void workloadBsDiskReadsAreRetakenAndGrowTheThreadCount() {
    RunSummary s = result("workload-b-file-io.yaml");
    assertTrue(s.retakes() > 0 && s.handoffs() >= s.retakes(), "retake then handoffp: " + s.retakes());
    assertTrue(s.syscallTable().get("read").retaken() > 0, "the 1ms reads are the ones retaken");
    assertEquals(0, s.syscallTable().get("openat").retaken(), "4us calls never are");
    assertTrue(s.threads().peak() > s.gomaxprocs() + 3, describe(s));
  }

  @Test
  void workloadCsUnboundedCgoCreatesHundredsOfThreads() {
    RunSummary s = result("workload-c-cgo.yaml");
    // 10k requests/s x 50ms in C = 500 calls in flight; well over 60% of that after warm-up.
    assertTrue(s.threads().peak() > 10_000 * 0.050 * 0.6, describe(s));
    assertTrue(s.threads().peak() < 10_000);
    assertTrue(s.cgoCalls() > 1000);
    assertTrue(s.syscallTable().get("cgo").retaken() > 0);
  }

  @Test
  void workloadCsSemaphoreBoundsTheThreads() {
    RunSummary s = result("workload-c-cgo-bounded.yaml");
    assertTrue(s.threads().peak() <= 32 + s.gomaxprocs() + 8, describe(s));
    assertTrue(s.threads().peak() > s.gomaxprocs() + 10, "but still about 32 in C: " + describe(s));
    // 32 slots / 50ms = 640 calls/s at most.
    double seconds = (s.virtualTimeNs() - 500_000_000L) / 1e9;
    assertTrue(s.cgoCalls() <= 32 / 0.050 * seconds * 1.1, "cgo calls " + s.cgoCalls());
    assertTrue(s.requestLatencyNs().p50() > 50_000_000L, "requests queue on the semaphore");
  }

  @Test
  void workloadDsLockedGoroutinesEachKeepAThread() {
    RunSummary s = result("workload-d-lockosthread.yaml");
    // 100 locked Ms, the template thread, m0, sysmon.
    assertTrue(s.threads().peak() > 100, describe(s));
    assertTrue(s.threads().peak() <= 100 + s.gomaxprocs() + 8, describe(s));
    assertEquals(1, s.scheduler().templateThreads());
    assertEquals(0, s.scheduler().lockedMsDestroyed(), "the locked goroutines never exit");
  }

  @Test
  void workloadEsThreadsStayAtThePeakAfterTheBurst() {
    RunSummary s = result("workload-e-bursty.yaml");
    assertTrue(s.threads().peak() > s.gomaxprocs() + 4, "the burst grew the thread count: " + describe(s));
    assertEquals(s.threads().peak(), s.threads().fin(), "idle Ms are never freed: " + describe(s));
    assertEquals(0, s.ms().destroyed());
    assertTrue(s.ms().idle() > 0, "the extra Ms park on sched.midle");
  }

  @Test
  void workloadEWithAnIdleMPoolShrinksAfterTheBurst() {
    Scenario e = example("workload-e-bursty.yaml");
    Scenario p = e.withRuntime(e.runtime().withIdleMs(RuntimeSpec.IdleMs.POOL, 2));
    RunSummary s = run(p);
    assertEquals("ok", s.outcome(), describe(s));
    assertTrue(s.threads().fin() < s.threads().peak(), "the text's pool lets idle Ms exit: " + describe(s));
    assertTrue(s.ms().idle() <= 2, "at most idle-ms-cap parked: " + s.ms().idle());
    assertTrue(s.ms().destroyed() > 0);
  }
}
