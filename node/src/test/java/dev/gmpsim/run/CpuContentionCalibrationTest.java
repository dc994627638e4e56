package dev.gmpsim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import dev.gmpsim.protocol.result.RunOptions;
import dev.gmpsim.protocol.result.RunSummary;
import dev.gmpsim.protocol.scenario.Machine;
import dev.gmpsim.protocol.scenario.Scenario;
import dev.gmpsim.protocol.scenario.ScenarioLoader;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The CPU-bound cases of the calibration table (calibration/MEASUREMENTS.md, "The three misses"):
 * 100 goroutines making 40k-140k syscalls/s on the 2 vCPUs the real runs had, mirrored with the
 * sleep lengths the programs ask for and machine: {cpus: 2}. With the CPU model, woken threads
 * wait for a CPU and more syscalls outlast two sysmon rounds: the peak is never lower than
 * without it. With the kernel's timers and startm's measured wake-up all three come within the
 * tolerance of the median of every stored real run (three measurements, two host CPUs:
 * calibration/MEASUREMENTS.md, "One program, three measurements").
 */
class CpuContentionCalibrationTest {
  static ActorSystem<Void> system;

  @BeforeAll
  static void setUp() {
    system = ActorSystem.create(Behaviors.empty(), "cpu-contention", Simulation.quietConfig());
  }

  @AfterAll
  static void tearDown() {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().join();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "syscall-n100-20us, n=100 d=20us, 2",
    "syscall-n100-100us-p4, n=100 d=100us, 4",
    "syscall-n100-100us-p8, n=100 d=100us, 8",
  })
  void theCpuModelRaisesTheThreadCountTowardsRealGo(String mirror, String params, int procs)
      throws Exception {
    List<Integer> real = RealGoCalibrationTest.realPeaks("syscall", params, procs);
    assertFalse(real.isEmpty(), "no real measurement for " + params);
    Scenario sc = ScenarioLoader.load(CalibrationMirrorsTest.calibration().resolve("scenarios").resolve(mirror + ".yaml"));
    assertEquals(2, sc.machine().cpus(), "the real runs had 2 vCPUs");
    RunSummary with = Simulation.run(system, sc, CalibrationMirrorsTest.options(sc)).summary();
    RunSummary without = Simulation.run(system, sc.withMachine(Machine.NONE), CalibrationMirrorsTest.options(sc)).summary();
    assertEquals("ok", with.outcome());
    long peak = with.threads().peak();
    assertTrue(peak >= without.threads().peak(),
        mirror + ": " + peak + " threads with the CPU model, " + without.threads().peak() + " without");
    assertTrue(with.cpu().waitedShare() > 0, "some woken threads waited: " + with.cpu());
    RealGoCalibrationTest.assertWithin(mirror, peak, real);
  }
}
