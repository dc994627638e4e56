package dev.gmpsim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gmpsim.protocol.result.RunOptions;
import dev.gmpsim.protocol.result.RunResult;
import dev.gmpsim.protocol.result.RunSummary;
import dev.gmpsim.protocol.scenario.Machine;
import dev.gmpsim.protocol.scenario.Scenario;
import dev.gmpsim.protocol.scenario.ScenarioLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The GC end to end: the pacer starts a cycle each time the heap grows from the marked heap to
 * the trigger (mgcpacer.go's commit and trigger), so a known allocation rate gives a cycle count
 * arithmetic can check; GOGC=off gives none; GOMEMLIMIT sets a lower goal; runs with the GC on
 * are deterministic.
 */
class GcPacerTest {
  static ActorSystem<Void> system;
  static final ObjectMapper JSON = new ObjectMapper();
  static final long MIB = 1L << 20;

  @BeforeAll
  static void setUp() {
    system = ActorSystem.create(Behaviors.empty(), "gc-pacer", Simulation.quietConfig());
  }

  @AfterAll
  static void tearDown() {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().join();
  }

  /**
   * One goroutine allocating 1KB every 10us of compute (102.4 MB/s) for 2s over an 8MB live heap;
   * marking is made nearly free (1us per MB) so that almost nothing is allocated during a mark.
   */
  static Scenario allocating(String runtimeExtra) throws Exception {
    return ScenarioLoader.parse("pacer.yaml",
        "runtime: {gomaxprocs: 2, go-version: \"1.19\", " + runtimeExtra + ", costs: {gc-mark-per-mb: 1us}}\n"
            + "heap: {live: 8MB}\nduration: 2s\n"
            + "workload:\n  - kind: goroutines\n    steps:\n"
            + "      - loop: {count: 0, steps: [{compute: 10us}, {alloc: 1KB}]}\n");
  }

  static RunSummary run(Scenario s) {
    return Simulation.run(system, s, RunOptions.seed(1)).summary();
  }

  /**
   * What the pacer's arithmetic says: the goal is marked + (marked + stacks) x GOGC/100 (or the
   * memory limit's goal), the trigger the larger of 61/64 of the way there and goal - 4MB, so a
   * cycle comes every (trigger - marked) bytes. Stacks: 4 goroutines (main, the allocating one,
   * 2 mark workers) x 2KB.
   */
  /** The cycles {@code allocated} bytes make at this goal (the run's own allocation: its schedule is not the point). */
  static long expectedCycles(long goal, long allocated) {
    long marked = 8 * MIB;
    long span = goal - marked;
    long perCycle = Math.max(span / 64 * 61, goal - 4 * MIB - marked);
    return allocated / perCycle;
  }

  @ParameterizedTest(name = "GOGC={0}")
  @ValueSource(ints = {50, 100, 200})
  void cyclesComeEveryTriggerMinusMarkedBytes(int gogc) throws Exception {
    RunSummary s = run(allocating("gogc: " + gogc));
    assertEquals("ok", s.outcome());
    long stacks = 4 * 2048;
    long goal = 8 * MIB + (8 * MIB + stacks) * gogc / 100;
    RunSummary.Gc gc = s.gc();
    assertNotNull(gc);
    long want = expectedCycles(goal, gc.allocatedBytes());
    assertTrue(Math.abs(gc.cycles() - want) <= 1, "GOGC=" + gogc + ": " + gc.cycles() + " cycles, arithmetic says " + want);
    // Two stop-the-world pauses per cycle (sweep and mark termination), a cycle at the end may be half done.
    assertTrue(gc.stwPauses() >= 2 * gc.cycles() && gc.stwPauses() <= 2 * gc.cycles() + 1, gc.toString());
    assertEquals(String.valueOf(gogc), gc.gogc());
    assertTrue(gc.allocatedBytes() > 190_000_000L, gc.toString());
  }

  @Test
  void gogcOffRunsNoCycle() throws Exception {
    RunSummary.Gc gc = run(allocating("gogc: \"off\"")).gc();
    assertEquals(0, gc.cycles());
    assertEquals(0, gc.stwPauses());
    assertEquals(0.0, gc.cpuFraction());
    assertEquals("off", gc.gogc());
  }

  @Test
  void gomemlimitLowersTheGoalEvenWithGogcOff() throws Exception {
    RunSummary.Gc gc = run(allocating("gogc: \"off\", gomemlimit: 12MB")).gc();
    // memoryLimitHeapGoal: the limit less non-heap memory (the stacks) and 1MB of headroom.
    long goal = 12 * MIB - 4 * 2048 - MIB;
    long want = expectedCycles(goal, gc.allocatedBytes());
    // Within 5%: how fast the mark workers start (startm's wake-up) moves a cycle's end a little.
    assertTrue(Math.abs(gc.cycles() - want) <= Math.max(1, want / 20), gc.cycles() + " cycles, arithmetic says " + want);
    assertEquals(12 * MIB, gc.gomemlimitBytes());
  }

  @Test
  void aRunWithoutAllocationHasNoGcBlock() throws Exception {
    Scenario s = ScenarioLoader.parse("t.yaml", "runtime: {gogc: 50}\nduration: 100ms\n"
        + "workload:\n  - kind: goroutines\n    steps: [{compute: 1ms}, block]\n");
    assertNull(run(s).gc());
  }

  @Test
  void theExampleWithTheGcOnIsDeterministic() throws Exception {
    Scenario s = ExampleFiles.load("gc/fileread-server-gc.yaml", 500_000_000L).withSeed(3);
    RunOptions o = RunOptions.seed(3).withSchedtrace(10_000_000L, true);
    RunResult a = Simulation.run(system, s, o);
    RunResult b = Simulation.run(system, s, o);
    assertEquals("ok", a.summary().outcome());
    assertTrue(a.summary().gc().cycles() >= 5, a.summary().gc().toString());
    assertEquals(JSON.writeValueAsString(a.summary()), JSON.writeValueAsString(b.summary()));
    assertEquals(a.schedtrace(), b.schedtrace());
    assertEquals(a.timeseriesCsv(), b.timeseriesCsv());
  }

  @Test
  void withTheCpuModelAndTheKernelsTimersTheGcRunIsStillDeterministic() throws Exception {
    // Two CPUs: woken threads queue for them, sleeps end by the kernel's clock events, the GC's
    // workers and stops compete for the same CPUs. Same scenario and seed, same bytes.
    Scenario s = ExampleFiles.load("gc/fileread-server-gc.yaml", 500_000_000L)
        .withMachine(new Machine(2, null, null)).withSeed(5);
    RunOptions o = RunOptions.seed(5).withSchedtrace(10_000_000L, true);
    RunResult a = Simulation.run(system, s, o);
    RunResult b = Simulation.run(system, s, o);
    assertEquals("ok", a.summary().outcome());
    assertTrue(a.summary().gc().cycles() >= 5, a.summary().gc().toString());
    assertTrue(a.summary().cpu().waitedShare() > 0, "threads waited for a CPU: " + a.summary().cpu());
    assertTrue(a.summary().cpu().timers().armed() > 0, "sleeps went through the kernel's timers");
    assertEquals(JSON.writeValueAsString(a.summary()), JSON.writeValueAsString(b.summary()));
    assertEquals(a.schedtrace(), b.schedtrace());
    assertEquals(a.timeseriesCsv(), b.timeseriesCsv());
  }
}
