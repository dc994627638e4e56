package dev.gmpsim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import dev.gmpsim.protocol.result.RunOptions;
import dev.gmpsim.protocol.result.RunResult;
import dev.gmpsim.protocol.result.RunSummary;
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
 * each version's own format.
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
    Path p = ExampleScenariosTest.examples().resolveSibling("calibration").resolve("scenarios").resolve(file);
    String yaml = Files.readString(p).replace("go-version: \"1.19\"", "go-version: \"" + go + "\"");
    assertTrue(yaml.contains("go-version: \"" + go + "\""), file + " names its Go version");
    return ScenarioLoader.parse(file, yaml);
  }

  static RunResult run(Scenario s) {
    return Simulation.run(system, s, RunOptions.seed(s.seed()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"syscall-n10-1ms.yaml", "cgo-n100.yaml", "lock-keep.yaml"})
  void bothSyscallPathsMakeTheSameDecisions(String file) throws Exception {
    RunSummary a = run(mirror(file, "1.25")).summary();
    RunSummary b = run(mirror(file, "1.26")).summary();
    assertEquals("gmpsim-model/2 (go1.26 rules)", b.modelVersion());
    assertEquals(a.threads(), b.threads());
    assertEquals(a.retakes(), b.retakes());
    assertEquals(a.handoffs(), b.handoffs());
    assertEquals(a.exitsyscall(), b.exitsyscall());
    assertEquals(a.ms(), b.ms());
    assertEquals(a.events(), b.events());
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
