package dev.gmpsim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import dev.gmpsim.protocol.result.RunSummary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reference text's "Common Anti-Patterns and Their Fixes" as bad/fixed scenario pairs in
 * examples/antipatterns/: each fix improves what the text says it improves, measured as a
 * comparison between the two runs of the same workload (same seed, same virtual time), and both
 * runs end "ok" with no broken invariant.
 */
class AntipatternPairsTest {
  static ActorSystem<Void> system;

  @BeforeAll
  static void setUp() {
    system = ActorSystem.create(Behaviors.empty(), "antipatterns", Simulation.quietConfig());
  }

  @AfterAll
  static void tearDown() {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().join();
  }

  record Pair(RunSummary bad, RunSummary fixed) {
    String why() {
      return "\n bad:   " + ExampleFiles.describe(bad) + "\n fixed: " + ExampleFiles.describe(fixed);
    }
  }

  static Pair pair(String bad, String fixed, long durationNs) {
    RunSummary b = ExampleFiles.run(system, ExampleFiles.load("antipatterns/" + bad, durationNs));
    RunSummary f = ExampleFiles.run(system, ExampleFiles.load("antipatterns/" + fixed, durationNs));
    Pair p = new Pair(b, f);
    for (RunSummary s : new RunSummary[] {b, f}) {
      assertEquals("ok", s.outcome(), p.why());
      assertEquals(0, s.invariants().violations(), p.why());
      assertEquals(durationNs, s.virtualTimeNs(), "ran to the end" + p.why());
    }
    return p;
  }

  /** (a) 10,000 cold os.ReadFile calls at once vs a semaphore of 8: far fewer threads. */
  @Test
  void fileReadSemaphoreBoundsTheThreadsInSyscalls() {
    Pair p = pair("a-file-io-unbounded.yaml", "a-file-io-semaphore.yaml", 300_000_000L);
    // The text: ~100 Ms in syscalls unbounded; with the semaphore at most 8 reads are in the kernel.
    assertTrue(p.fixed().threads().peak() * 4 < p.bad().threads().peak(), "threads peak" + p.why());
    assertTrue(p.fixed().ms().created() * 4 < p.bad().ms().created(), "Ms created" + p.why());
    assertTrue(p.fixed().retakes() < p.bad().retakes(), "retakes" + p.why());
    assertTrue(p.bad().syscallTable().get("read").retaken() > 0, "the cold reads lose their P" + p.why());
  }

  /** (b) a 100ms cgo call per request, unbounded vs a semaphore of 32: far fewer threads. */
  @Test
  void cgoSemaphoreBoundsTheThreadsInC() {
    Pair p = pair("b-cgo-unbounded.yaml", "b-cgo-semaphore.yaml", 400_000_000L);
    assertTrue(p.fixed().threads().peak() * 3 < p.bad().threads().peak(), "threads peak" + p.why());
    assertTrue(p.fixed().ms().created() * 3 < p.bad().ms().created(), "Ms created" + p.why());
    // What the bound costs: the spike waits on the channel instead of in C.
    assertTrue(p.fixed().requestLatencyNs().p50() > p.bad().requestLatencyNs().p50(), "latency" + p.why());
  }

  /** (c) exiting while locked destroys the thread, so each request creates one; unlocking reuses them. */
  @Test
  void unlockOSThreadBeforeExitStopsTheThreadChurn() {
    Pair p = pair("c-lockosthread-no-unlock.yaml", "c-lockosthread-unlock.yaml", 500_000_000L);
    assertTrue(p.bad().ms().destroyed() > 0, "locked goroutines exiting destroy their M" + p.why());
    assertEquals(p.bad().ms().destroyed(), p.bad().scheduler().lockedMsDestroyed(), p.why());
    assertTrue(p.fixed().ms().destroyed() < p.bad().ms().destroyed(), "Ms destroyed" + p.why());
    assertEquals(0, p.fixed().scheduler().lockedMsDestroyed(), p.why());
    assertTrue(p.fixed().ms().created() * 10 < p.bad().ms().created(), "Ms created" + p.why());
  }

  /** (d) a locked goroutine waiting on the network keeps its M: one thread per connection. */
  @Test
  void notLockingNetworkGoroutinesFreesTheirThreads() {
    Pair p = pair("d-lockosthread-network.yaml", "d-network-unlocked.yaml", 300_000_000L);
    assertTrue(p.fixed().threads().peak() * 10 < p.bad().threads().peak(), "threads peak" + p.why());
    assertTrue(p.fixed().ms().created() * 10 < p.bad().ms().created(), "Ms created" + p.why());
    // Each wake-up of a locked goroutine hands the P to its M and back.
    assertTrue(p.fixed().handoffs() * 10 < p.bad().handoffs(), "handoffs" + p.why());
  }

  /** (e) 1,000,000 tiny cgo calls vs one call doing the same work: the overhead and the time. */
  @Test
  void oneBatchedCgoCallInsteadOfAMillionTinyOnes() {
    Pair p = pair("e-tiny-cgo-calls.yaml", "e-batched-cgo-call.yaml", 1_300_000_000L);
    assertEquals(1_000_000, p.bad().cgoCalls(), p.why());
    assertEquals(1, p.fixed().cgoCalls(), p.why());
    assertTrue(p.fixed().cgoOverheadNs() * 1000 < p.bad().cgoOverheadNs(), "cgo overhead" + p.why());
    // One request each (the job): its latency is the time the work takes, and it finished.
    assertEquals(1, p.bad().requestLatencyNs().count(), p.why());
    assertEquals(1, p.fixed().requestLatencyNs().count(), p.why());
    long badTime = p.bad().requestLatencyNs().max();
    long fixedTime = p.fixed().requestLatencyNs().max();
    assertTrue(fixedTime < badTime, "the batched call finishes first" + p.why());
    // The saving is at least the cgocall overhead the batch no longer pays.
    assertTrue(badTime - fixedTime >= p.bad().cgoOverheadNs() - p.fixed().cgoOverheadNs(), p.why());
  }
}
