package dev.gmpsim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
 * Calibration mirrors (calibration/scenarios/) against the real Go 1.19 runs stored in
 * calibration/real-go-1.19*.tsv, one per mechanism that once made the model miss: the TCP server
 * as the whole process the harness runs (a cgo-linked binary whose main waits in waitid for the
 * load generator, connections accepted one by one); 100 goroutines in nanosleep(100us), where
 * the timer slack decides how many sleeps outlast two sysmon rounds; 100 goroutines calling
 * usleep(1ms) in C, which stay in lock step without the wake-up jitter; and requests started
 * from a time.Sleep(200us) loop, whose timers a P in schedule() runs before the M asleep in
 * epoll_wait wakes; and the server with a 1ms syscall per request whose open-loop clients'
 * requests pile up until a handler serving several in a row trips sysmon's schedtick rule.
 * Each mirror's peak must lie within 20% (at least 2 threads) of the median of the real runs in
 * every stored table, and threads must not shrink.
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

  /**
   * The run options `gmpsim run` (and compare.py) uses: the mirror's schedtrace, as the real runs
   * had GODEBUG=schedtrace=100 (sysmon then never sleeps on sysmonwait).
   */
  static RunOptions options(Scenario sc) {
    RunOptions o = RunOptions.seed(sc.seed());
    return sc.schedtrace() == null ? o : o.withSchedtrace(sc.schedtrace(), false);
  }

  static Path calibration() {
    return ExampleScenariosTest.examples().resolveSibling("calibration");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "network, network, k=1000 rate=5000 work=20us, 2",
    "syscall-n100-100us, syscall, n=100 d=100us, 2",
    "cgo-n100-1ms, cgo, n=100 d=1ms sem=none, 2",
    "paced-p2, paced, n=1000 gap=200us d=2ms, 2",
    // The server beside its load generator on the same 2 cores (collect.sh section p).
    "network-k100-r2000, network, k=100 rate=2000 work=20us, 2",
    "network-k100-r50000, network, k=100 rate=50000 work=20us, 2",
  })
  void mirrorScenarioMatchesRealGo119(String scenario, String kase, String params, int procs)
      throws Exception {
    List<Integer> real = RealGoCalibrationTest.realPeaks(kase, params, procs);
    assertFalse(real.isEmpty(), "no real measurement for " + kase + " " + params);
    Scenario sc = ScenarioLoader.load(calibration().resolve("scenarios").resolve(scenario + ".yaml"));
    RunSummary s = Simulation.run(system, sc, CalibrationMirrorsTest.options(sc)).summary();
    assertEquals("ok", s.outcome());
    long peak = s.threads().peak();
    RealGoCalibrationTest.assertWithin(scenario, peak, real);
    assertEquals(peak, s.threads().fin(), "threads do not shrink (real: final = peak)");
  }
}
