package dev.gmpsim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import dev.gmpsim.protocol.result.RunOptions;
import dev.gmpsim.protocol.result.RunResult;
import dev.gmpsim.protocol.result.RunSummary;
import dev.gmpsim.protocol.scenario.Dist;
import dev.gmpsim.protocol.scenario.Scenario;
import dev.gmpsim.protocol.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A calibration mirror run under Go 1.25's rules and under Go 1.26's: the scheduler decides the
 * same on both syscall paths, so with the same costs every count is the same; schedtrace prints
 * each version's own format; and 1.26's syscall hooks and cgo call cost half by default.
 */
class Go126PathTest {
  static ActorSystem<Void> system;

  @BeforeAll
  static void setUp() {
    system = ActorSystem.create(Behaviors.empty(), "go126", Simulation.quietConfig());
  }

  @AfterAll
  static void tearDown() {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().join();
  }

  static Scenario mirror(String file, String go) throws Exception {
    return mirror(file, go, "");
  }

  /** The mirror under Go {@code go}, with {@code runtimeKeys} (", costs: {...}") added to runtime. */
  static Scenario mirror(String file, String go, String runtimeKeys) throws Exception {
    Path p = ExampleScenariosTest.examples().resolveSibling("calibration").resolve("scenarios").resolve(file);
    String yaml =
        Files.readString(p).replace("go-version: \"1.19\"", "go-version: \"" + go + "\"" + runtimeKeys);
    assertTrue(yaml.contains("go-version: \"" + go + "\""), file + " names its Go version");
    return ScenarioLoader.parse(file, yaml);
  }

  /** 1.25's defaults for the three costs 1.26 lowered, so that both runs cost the same. */
  static final String SAME_COSTS = ", costs: {entersyscall: 40ns, exitsyscallfast: 40ns, cgo-call: 40ns}";

  static RunResult run(Scenario s) {
    return Simulation.run(system, s, RunOptions.seed(s.seed()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"syscall-n10-1ms.yaml", "cgo-n100.yaml", "lock-keep.yaml"})
  void bothSyscallPathsMakeTheSameDecisions(String file) throws Exception {
    RunSummary a = run(mirror(file, "1.25")).summary();
    RunSummary b = run(mirror(file, "1.26", SAME_COSTS)).summary();
    assertEquals("gmpsim-model/2 (go1.26 rules)", b.modelVersion());
    assertEquals(a.threads(), b.threads());
    assertEquals(a.retakes(), b.retakes());
    assertEquals(a.handoffs(), b.handoffs());
    assertEquals(a.exitsyscall(), b.exitsyscall());
    assertEquals(a.ms(), b.ms());
    assertEquals(a.events(), b.events());
  }

  @Test
  void go126sSyscallHooksAndCgoCallCostHalfByDefault() throws Exception {
    // calibration/costs-go-1.26.tsv: 83ns against 40ns for entersyscall + exitsyscall, 72ns
    // against 35ns for an empty cgo call, measured side by side.
    var c25 = mirror("cgo-n100.yaml", "1.25").runtime().costs();
    var c26 = mirror("cgo-n100.yaml", "1.26").runtime().costs();
    assertEquals(Dist.parse("40ns"), c25.entersyscall());
    assertEquals(Dist.parse("40ns"), c25.cgoCall());
    assertEquals(Dist.parse("20ns"), c26.entersyscall());
    assertEquals(Dist.parse("20ns"), c26.exitsyscallfast());
    assertEquals(Dist.parse("20ns"), c26.cgoCall());
    assertEquals(c25.syscall(), c26.syscall(), "the kernel's own cost is the machine's, not the release's");
    // A scenario's own figure wins under either version.
    var given = mirror("cgo-n100.yaml", "1.26", ", costs: {cgo-call: 100ns}").runtime().costs();
    assertEquals(Dist.parse("100ns"), given.cgoCall());
    assertEquals(Dist.parse("20ns"), given.entersyscall());
    // And the run spends it: 100 goroutines' cgo calls cost half the overhead under 1.26.
    RunSummary a = run(mirror("cgo-n100.yaml", "1.25")).summary();
    RunSummary b = run(mirror("cgo-n100.yaml", "1.26")).summary();
    assertTrue(b.cgoOverheadNs() < a.cgoOverheadNs(), b.cgoOverheadNs() + " < " + a.cgoOverheadNs());
  }

  @Test
  void schedtracePrintsGo126sFormat() throws Exception {
    Scenario s = mirror("syscall-n10-1ms.yaml", "1.26");
    String trace = Simulation.run(system, s, new RunOptions(s.seed(), 0, 100_000_000L, false, 0)).schedtrace();
    String first = trace.lines().findFirst().orElseThrow();
    // As Go 1.26.10 prints it (calibration/programs/cgo, GODEBUG=schedtrace=500):
    // SCHED 1000ms: gomaxprocs=2 idleprocs=2 threads=104 spinningthreads=0 needspinning=0 idlethreads=1 runqueue=0 [ 0 0 ] schedticks=[ 123 112 ]
    assertTrue(first.matches("SCHED 0ms: gomaxprocs=2 idleprocs=\\d+ threads=\\d+ spinningthreads=\\d+ "
        + "needspinning=\\d idlethreads=\\d+ runqueue=\\d+ \\[ \\d+ \\d+ \\] schedticks=\\[ \\d+ \\d+ \\]"), first);
  }
}
