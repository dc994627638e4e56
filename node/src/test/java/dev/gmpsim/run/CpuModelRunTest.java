package dev.gmpsim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gmpsim.protocol.result.RunOptions;
import dev.gmpsim.protocol.result.RunSummary;
import dev.gmpsim.protocol.scenario.Machine;
import dev.gmpsim.protocol.scenario.Scenario;
import dev.gmpsim.protocol.scenario.ScenarioLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CPU model end to end: with as many CPUs as threads ever run it changes nothing (the same
 * schedtrace and summary bytes, the cpu block aside); with few it is deterministic; on 2 CPUs
 * with 4 spinning goroutines, threads woken from their syscalls preempt the spinners.
 */
class CpuModelRunTest {
  @BeforeAll
  static void setUp() {
    DeterminismTest.setUp();
  }

  @AfterAll
  static void tearDown() {
    DeterminismTest.tearDown();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"workload-b-file-io.yaml", "workload-c-cgo.yaml", "workload-e-bursty.yaml"})
  void withACpuForEveryThreadTheRunIsByteIdenticalToOneWithoutTheModel(String file) throws Exception {
    Scenario without = DeterminismTest.example(file, 7);
    // The kernel's timers off: they change when sleeps end whatever the CPUs (HrTimersTest).
    Scenario with = without.withMachine(new Machine(1024, null, false));
    DeterminismTest.Output a = DeterminismTest.runAlone(without);
    DeterminismTest.Output b = DeterminismTest.runAlone(with);
    assertEquals(a.schedtrace(), b.schedtrace());
    assertEquals(a.timeseries(), b.timeseries());
    ObjectNode sb = (ObjectNode) DeterminismTest.JSON.readTree(b.summaryJson());
    assertEquals(0, sb.get("cpu").get("waitMaxNs").asLong(), "no thread ever waited");
    sb.remove("cpu");
    assertEquals(a.summaryJson(), DeterminismTest.JSON.writeValueAsString(sb));
  }

  static Scenario mix(long seed) throws Exception {
    Path f = ExampleScenariosTest.examples().resolveSibling("calibration").resolve("scenarios")
        .resolve("mix-cpu4-sys20.yaml");
    return ScenarioLoader.load(f).withDuration(300_000_000L).withSeed(seed);
  }

  @Test
  void withTheCpuModelOnTheSameSeedGivesTheSameBytes() throws Exception {
    Scenario s = mix(5);
    DeterminismTest.Output first = DeterminismTest.runAlone(s);
    DeterminismTest.Output second = DeterminismTest.runAlone(s);
    assertEquals(first.summaryJson(), second.summaryJson());
    assertEquals(first.schedtrace(), second.schedtrace());
    assertEquals(first.timeseries(), second.timeseries());
    assertNotEquals(first.summaryJson(), DeterminismTest.runAlone(mix(6)).summaryJson());
  }

  @Test
  void besideFourSpinnersOnTwoCpusWokenThreadsPreemptTheSpinnersInsteadOfWaiting() throws Exception {
    Scenario s = mix(1);
    RunSummary r = Simulation.run(DeterminismTest.system, s, RunOptions.seed(1)).summary();
    assertEquals("ok", r.outcome());
    RunSummary.Cpu c = r.cpu();
    assertEquals(2, c.cpus());
    assertTrue(c.process() > 0.5, "the spinners keep the CPUs busy: " + c);
    assertTrue(c.preemptions() > 0, "woken threads preempt the spinners: " + c);
    assertEquals(0, c.waitP50Ns(), "a woken thread is not late at the median (EEVDF's wake-up preemption): " + c);
    assertTrue(c.wakeups() > 1000, c.toString());
  }
}
