package dev.gmpsim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import dev.gmpsim.protocol.result.RunOptions;
import dev.gmpsim.protocol.result.RunSummary;
import dev.gmpsim.protocol.scenario.ScenarioLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The scenario language's newer parts, run through the model. */
class LanguageRunTest {
  static ActorSystem<Void> system;

  @BeforeAll
  static void setUp() {
    system = ActorSystem.create(Behaviors.empty(), "language", Simulation.quietConfig());
  }

  @AfterAll
  static void tearDown() {
    system.terminate();
  }

  static RunSummary run(String yaml) throws Exception {
    var s = ScenarioLoader.parse("t.yaml", yaml);
    return Simulation.run(system, s, RunOptions.seed(s.seed())).summary();
  }

  @Test
  void fileReadMakesTheSyscallsOfOsReadFile() throws Exception {
    RunSummary s = run("""
        runtime: {gomaxprocs: 2}
        duration: 1s
        workload:
          - kind: goroutines
            count: 4
            steps:
              - loop: {count: 10, steps: [{file-read: {size: 8KB, chunk: 4KB, cache-hit: 0, cold: 5ms}}]}
        """);
    assertEquals("ok", s.outcome());
    assertEquals(40, s.syscallTable().get("openat").calls());
    assertEquals(40, s.syscallTable().get("fstat").calls());
    assertEquals(40 * 3, s.syscallTable().get("read").calls(), "two 4KB chunks and the read that finds EOF");
    assertEquals(40, s.syscallTable().get("close").calls());
    assertTrue(s.syscallTable().get("read").retaken() > 0, "5ms disk reads outlast two sysmon rounds");
    assertTrue(s.threads().peak() > 4, "retaken Ps get new Ms");
  }

  @Test
  void aRateScheduleStopsArrivalsAndConstantArrivalsAreExact() throws Exception {
    RunSummary s = run("""
        duration: 2s
        workload:
          - kind: arrivals
            arrival: constant
            rate-schedule: [{at: 0s, rate: 1k/s}, {at: 500ms, rate: 0/s}]
            steps: [{compute: 10us}]
        """);
    assertEquals("ok", s.outcome());
    assertEquals(500, s.requestLatencyNs().count(), "500ms at 1k/s, then nothing");
  }

  @Test
  void namedStepListsRunWhereTheyAreCalled() throws Exception {
    RunSummary s = run("""
        duration: 1s
        steps:
          blocking: [{syscall: {name: flock, duration: 1ms}}]
        workload:
          - kind: goroutines
            count: 3
            steps: [{call: blocking}, {call: blocking}]
        """);
    assertEquals(6, s.syscallTable().get("flock").calls());
  }
}
