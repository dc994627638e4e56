package dev.gmpsim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import dev.gmpsim.protocol.result.RunOptions;
import dev.gmpsim.protocol.result.RunSummary;
import dev.gmpsim.protocol.scenario.Scenario;
import dev.gmpsim.protocol.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The two calibration mirrors that used to miss (calibration/scenarios/, against
 * calibration/real-go-1.19.tsv): the TCP server as the whole process the harness runs (a
 * cgo-linked binary whose main waits in waitid for the load generator, connections accepted one
 * by one), and 100 goroutines in nanosleep(100us) with the durations that call really has
 * under that load (calibration/sleeps-go-1.19.tsv). Each mirror's peak must lie within 20% (at
 * least 2 threads) of every real run, and threads must not shrink.
 */
class CalibrationMirrorsTest {
  static ActorSystem<Void> system;

  @BeforeAll
  static void setUp() {
    system = ActorSystem.create(Behaviors.empty(), "mirrors", Simulation.quietConfig());
  }

  @AfterAll
  static void tearDown() {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().join();
  }

  static Path calibration() {
    return ExampleScenariosTest.examples().resolveSibling("calibration");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "network, network, k=1000 rate=5000 work=20us",
    "syscall-n100-100us, syscall, n=100 d=100us",
  })
  void mirrorScenarioMatchesRealGo119(String scenario, String kase, String params) throws Exception {
    List<Integer> real = RealGoCalibrationTest.realPeaks(kase, params, 2);
    assertFalse(real.isEmpty(), "no real measurement for " + kase + " " + params);
    Scenario sc = ScenarioLoader.load(calibration().resolve("scenarios").resolve(scenario + ".yaml"));
    RunSummary s = Simulation.run(system, sc, RunOptions.seed(sc.seed())).summary();
    assertEquals("ok", s.outcome());
    long peak = s.threads().peak();
    for (int r : real) {
      assertTrue(Math.abs(peak - r) <= Math.max(2, 0.2 * r),
          scenario + ": model peak " + peak + " threads, real Go 1.19 runs " + real);
    }
    assertEquals(peak, s.threads().fin(), "threads do not shrink (real: final = peak)");
  }
}
