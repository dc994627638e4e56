package dev.gmpsim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gmpsim.protocol.result.RunOptions;
import dev.gmpsim.protocol.result.RunSummary;
import dev.gmpsim.protocol.scenario.Scenario;
import dev.gmpsim.run.Simulation;
import org.junit.jupiter.api.Test;

/**
 * SetMaxThreads: newm past sched.maxmcount is fatal ("runtime: program exceeds N-thread limit"),
 * checked in mReserveID when the new M would make mcount() exceed the limit; reaching it exactly
 * is fine. The whole model runs: 10 goroutines each block 50ms in a syscall on GOMAXPROCS=2, so
 * sysmon retakes their Ps and handoffp starts a thread for each.
 */
class ThreadLimitTest extends ModelTest {

  private static Scenario blockingSyscalls(int maxThreads) {
    return ModelHarness.scenario(
        "name: thread-limit\n"
            + "duration: 200ms\n"
            + "runtime: {gomaxprocs: 2, max-threads: " + maxThreads + "}\n"
            + "workload:\n"
            + "  - kind: goroutines\n"
            + "    count: 10\n"
            + "    steps:\n"
            + "      - syscall: {name: read, duration: 50ms}\n");
  }

  private static RunSummary run(int maxThreads) {
    return Simulation.run(kit.system(), blockingSyscalls(maxThreads), RunOptions.seed(1)).summary();
  }

  /** The same with 50ms cgo calls: a cgo binary, which has the extra M for C callers. */
  private static RunSummary runCgo(String goVersion, int maxThreads) {
    Scenario sc = ModelHarness.scenario(
        "name: thread-limit-cgo\n"
            + "duration: 200ms\n"
            + "runtime: {gomaxprocs: 2, go-version: \"" + goVersion + "\", max-threads: " + maxThreads + "}\n"
            + "workload:\n"
            + "  - kind: goroutines\n"
            + "    count: 10\n"
            + "    steps:\n"
            + "      - cgo: 50ms\n");
    return Simulation.run(kit.system(), sc, RunOptions.seed(1)).summary();
  }

  @Test
  void aWorkloadThatNeedsMoreThreadsThanTheLimitDies() {
    RunSummary s = run(5);
    assertEquals("fatal: runtime: program exceeds 5-thread limit", s.outcome());
    assertEquals(5, s.threads().peak(), "it died creating the 6th thread");
    assertTrue(s.virtualTimeNs() < 200_000_000L, "the run ended at the fatal error");
  }

  @Test
  void theLimitItselfCanBeReached() {
    // Without a limit the workload peaks at some number of threads; with exactly that limit it
    // runs to the end, with one less it dies.
    RunSummary free = run(10_000);
    assertEquals("ok", free.outcome());
    int peak = (int) free.threads().peak();
    assertTrue(peak > 5, "peak " + peak);

    RunSummary atLimit = run(peak);
    assertEquals("ok", atLimit.outcome());
    assertEquals(peak, atLimit.threads().peak());

    RunSummary below = run(peak - 1);
    assertEquals("fatal: runtime: program exceeds " + (peak - 1) + "-thread limit", below.outcome());
    assertEquals(peak - 1, below.threads().peak());
  }

  @Test
  void before121TheExtraMOfACgoBinaryCountsTowardTheLimit() {
    int peak = (int) runCgo("1.19", 10_000).threads().peak();
    RunSummary s = runCgo("1.19", peak - 1);
    assertEquals("fatal: runtime: program exceeds " + (peak - 1) + "-thread limit", s.outcome());
  }

  @Test
  void from121TheExtraMIsLeftOutOfTheLimit() {
    // checkmcount: count := mcount() - extraMInUse - extraMLength (go.dev/issue/60004). The
    // threads figure (mcount, as schedtrace prints it) still includes the extra M.
    RunSummary free = runCgo("1.22", 10_000);
    int peak = (int) free.threads().peak();
    assertTrue(peak > 5, "peak " + peak);
    RunSummary s = runCgo("1.22", peak - 1);
    assertEquals("ok", s.outcome());
    assertEquals(peak, s.threads().peak());
    RunSummary below = runCgo("1.22", peak - 2);
    assertEquals("fatal: runtime: program exceeds " + (peak - 2) + "-thread limit", below.outcome());
  }
}
