package dev.gmpsim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gmpsim.protocol.result.RunOptions;
import dev.gmpsim.protocol.result.RunSummary;
import dev.gmpsim.protocol.scenario.Scenario;
import dev.gmpsim.protocol.scenario.ScenarioLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The outcomes the model detects (docs/faults.md, "Outcomes"), each from a run that should give
 * it, with and without faults: deadlock (checkdead), stalled, and the cases checkdead leaves alone.
 */
class OutcomesTest {
  @BeforeAll
  static void setUp() {
    DeterminismTest.setUp();
  }

  @AfterAll
  static void tearDown() {
    DeterminismTest.tearDown();
  }

  static RunSummary run(String yaml) throws Exception {
    Scenario s = ScenarioLoader.parse("t.yaml", yaml);
    RunSummary one = Simulation.run(DeterminismTest.system, s, RunOptions.seed(1)).summary();
    RunSummary two = Simulation.run(DeterminismTest.system, s, RunOptions.seed(1)).summary();
    assertEquals(DeterminismTest.JSON.writeValueAsString(one), DeterminismTest.JSON.writeValueAsString(two),
        "same scenario and seed, same bytes");
    return one;
  }

  /** Two goroutines take a semaphore of 1 and never give it back: the second waits forever. */
  static final String STUCK = """
      duration: 2s
      semaphores: {sem: 1}
      workload:
        - name: takers
          kind: goroutines
          count: 2
          steps:
            - acquire: sem
            - compute: 1ms
      """;

  @Test
  void allGoroutinesBlockedOnAChannelNobodyWritesIsADeadlock() throws Exception {
    RunSummary r = run("runtime: {gomaxprocs: 2}\n" + STUCK);
    assertEquals("deadlock: all goroutines are asleep - deadlock!", r.outcome());
    assertTrue(r.virtualTimeNs() > 1_000_000L && r.virtualTimeNs() < 10_000_000L,
        "checkdead fires when the last M parks, not at the end: " + r.virtualTimeNs());
  }

  @Test
  void aCgoBinaryNeverReportsADeadlockAsInTheRuntime() throws Exception {
    // The extra M of a cgo binary counts as running in checkdead (iscgo), so it never fires.
    RunSummary r = run("runtime: {gomaxprocs: 2, cgo: true}\n" + STUCK);
    assertEquals("ok", r.outcome());
    assertEquals(2_000_000_000L, r.virtualTimeNs());
  }

  @Test
  void aPendingTimerIsNoDeadlockAndAFinishedWorkloadIsNone() throws Exception {
    RunSummary sleeping = run("runtime: {gomaxprocs: 2}\n" + STUCK + """
          - name: sleeper
            kind: goroutines
            count: 1
            steps:
              - sleep: 10s
        """);
    assertEquals("ok", sleeping.outcome(), "a timer can still wake a goroutine");
    // Every workload goroutine exited: only main's closing select {} is left, as if main returned.
    RunSummary done = run("runtime: {gomaxprocs: 2}\nduration: 1s\nworkload:\n  - kind: goroutines\n"
        + "    count: 3\n    steps: [{compute: 1ms}]\n");
    assertEquals("ok", done.outcome());
  }

  @Test
  void goroutinesThatNoPRunsForASecondAreStalledAndTheOutcomeNamesTheP() throws Exception {
    // GOMAXPROCS 1, its only P paused for 1.5s: nobody can steal, the run queue waits.
    RunSummary r = run("""
        runtime: {gomaxprocs: 1}
        duration: 3s
        workload:
          - kind: goroutines
            count: 4
            steps:
              - loop: {count: 0, steps: [{compute: 100us}, gosched]}
        faults:
          - {kind: pause, target: "P[0]", from: 500ms, until: 2s}
        """);
    assertTrue(r.outcome().startsWith("stalled: no progress for 1s: P0 has "), r.outcome());
    assertTrue(r.outcome().contains("runnable goroutines and has run none since 50"), r.outcome());
    assertTrue(r.outcome().contains("ms; P0 is _Prunning on M0; runnable for over 1s: G"), r.outcome());
    assertTrue(r.outcome().contains("; runnable for over 1s: G"), "names the goroutines: " + r.outcome());
    assertTrue(r.virtualTimeNs() >= 1_500_000_000L && r.virtualTimeNs() < 1_600_000_000L, "" + r.virtualTimeNs());
  }
}
