package dev.gmpsim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gmpsim.protocol.result.RunResult;
import dev.gmpsim.protocol.result.RunSummary;
import dev.gmpsim.protocol.scenario.Fault;
import dev.gmpsim.protocol.scenario.Scenario;
import dev.gmpsim.protocol.scenario.ScenarioLoader;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The examples in examples/faults/ end to end: each gives the outcome its comment promises, and
 * the same seed gives the same summary.json and schedtrace bytes twice.
 */
class FaultExamplesTest {
  @BeforeAll
  static void setUp() {
    DeterminismTest.setUp();
  }

  @AfterAll
  static void tearDown() {
    DeterminismTest.tearDown();
  }

  static Scenario load(String file) throws Exception {
    return ScenarioLoader.load(ExampleScenariosTest.examples().resolve("faults").resolve(file));
  }

  /** Runs {@code s} twice with its seed: the bytes must be the same; returns the summary. */
  static RunSummary twiceTheSame(Scenario s) throws Exception {
    DeterminismTest.Output one = DeterminismTest.runAlone(s);
    DeterminismTest.Output two = DeterminismTest.runAlone(s);
    assertEquals(one, two, "same scenario and seed, same bytes");
    return DeterminismTest.JSON.readValue(one.summaryJson(), RunSummary.class);
  }

  static RunSummary once(Scenario s) throws Exception {
    return DeterminismTest.JSON.readValue(DeterminismTest.runAlone(s).summaryJson(), RunSummary.class);
  }

  @Test
  void sysmonStalled50msHoldsItsMessagesAndRetakesNothingMeanwhile() throws Exception {
    Scenario s = load("sysmon-stall.yaml");
    RunSummary faulted = twiceTheSame(s);
    RunSummary plain = once(s.withFaults(List.of()));
    assertEquals("ok", faulted.outcome());
    RunSummary.FaultReport r = faulted.faults().get(0);
    assertEquals("sysmon starved 50ms", r.fault());
    assertTrue(r.fired() > 0);
    for (RunSummary.Firing f : r.firings()) {
      assertEquals("sysmon", f.actor());
      assertTrue(f.atNs() >= 1_000_000_000L && f.atNs() < 1_050_000_000L, f.toString());
      assertEquals("stall until 1050ms", f.action());
    }
    assertEquals(null, plain.faults(), "no faults declared: no faults in the summary");
    assertTrue(faulted.schedLatencyNs().max() > plain.schedLatencyNs().max(), "the tail grows");
    // Sysmon prints schedtrace, as in proc.go: the stall is a gap in the trace, as long as it.
    List<Long> at = traceTimes(DeterminismTest.runAlone(s).schedtrace());
    assertTrue(at.stream().noneMatch(t -> t > 1000 && t < 1049), at.toString());
    assertTrue(at.stream().anyMatch(t -> t >= 990 && t <= 1000), at.toString());
    assertTrue(at.stream().anyMatch(t -> t >= 1049 && t <= 1060), at.toString());
  }

  /** The times (ms) of a schedtrace's SCHED lines. */
  static List<Long> traceTimes(String trace) {
    return trace.lines().filter(l -> l.startsWith("SCHED "))
        .map(l -> Long.parseLong(l.substring(6, l.indexOf("ms:")))).toList();
  }

  @Test
  void aDroppedHandoffIsLostOnce() throws Exception {
    Scenario s = load("dropped-handoff.yaml");
    RunSummary faulted = twiceTheSame(s);
    RunSummary plain = once(s.withFaults(List.of()));
    RunSummary.FaultReport r = faulted.faults().get(0);
    assertEquals(1, r.fired());
    assertEquals("sched", r.firings().get(0).actor());
    assertEquals("Handoff", r.firings().get(0).message());
    assertTrue(r.firings().get(0).atNs() >= 1_000_000_000L);
    // The retaken P is owned by nobody and on no idle list: the run goes on with one P fewer,
    // and the lost-P check names it.
    assertTrue(faulted.outcome().matches("invariant-violated: P\\d is lost since \\d+ms \\(_Pidle, owned by no M, "
        + "on no idle list, not in a syscall, in no message in flight\\)"), faulted.outcome());
    assertEquals("ok", plain.outcome());
    assertEquals(faulted.retakes(), faulted.handoffs() + 1, "one retake's handoff never happened");
    assertTrue(faulted.pUtilization() < plain.pUtilization(), faulted.pUtilization() + " vs " + plain.pUtilization());
    assertTrue(faulted.syscalls() < plain.syscalls() * 0.95, faulted.syscalls() + " vs " + plain.syscalls());
  }

  @Test
  void cloneFailingPast500ThreadsKillsUnboundedCgoButNotTheSemaphoreFix() throws Exception {
    RunSummary dies = twiceTheSame(load("clone-fails-500.yaml"));
    assertEquals("fatal: runtime: failed to create new OS thread (have 501 already; errno=11)", dies.outcome());
    RunSummary.FaultReport r = dies.faults().get(0);
    assertEquals(1, r.fired());
    assertEquals(List.of(new RunSummary.Firing(dies.virtualTimeNs(), r.firings().get(0).actor(), "clone", "EAGAIN")),
        r.firings());
    assertTrue(dies.virtualTimeNs() < 3_000_000_000L);

    RunSummary lives = twiceTheSame(load("clone-fails-500-bounded.yaml").withDuration(1_500_000_000L));
    assertEquals("ok", lives.outcome());
    assertTrue(lives.threads().peak() < 100, "threads: " + lives.threads());
    assertEquals(0, lives.faults().get(0).fired());
  }

  @Test
  void aNetpollerDeafFor100msPutsTheWindowIntoTheRequestTail() throws Exception {
    Scenario s = load("netpoller-deaf.yaml");
    RunSummary deaf = twiceTheSame(s);
    RunSummary plain = once(s.withFaults(List.of()));
    assertEquals("ok", deaf.outcome());
    RunSummary.FaultReport r = deaf.faults().get(0);
    assertTrue(r.fired() > 500, r.toString());
    assertEquals(RunSummary.MAX_FIRINGS, r.firings().size(), "the first 100 are listed");
    r.firings().forEach(f -> assertEquals("FdReady", f.message()));
    assertTrue(deaf.requestLatencyNs().max() > 95_000_000L && deaf.requestLatencyNs().max() <= 101_000_000L,
        deaf.requestLatencyNs().toString());
    assertTrue(deaf.requestLatencyNs().p99() > 50_000_000L, deaf.requestLatencyNs().toString());
    assertTrue(plain.requestLatencyNs().max() < 5_000_000L, plain.requestLatencyNs().toString());
    assertEquals(plain.threads().peak(), deaf.threads().peak());
    // Sysmon is not stalled: schedtrace goes on through the window, every 10ms.
    List<Long> at = traceTimes(DeterminismTest.runAlone(s).schedtrace());
    for (long t = 1000; t < 1100; t += 10) {
      long from = t;
      assertTrue(at.stream().anyMatch(x -> x >= from && x < from + 11), "a line in [" + t + "ms, +11ms): " + at);
    }
  }

  @Test
  void aDeafNetpollerReportsReadinessWhenItHearsAgain() throws Exception {
    // A stall of the netpoller holds the parks and readiness it would have seen: a descriptor
    // that became ready meanwhile is reported at the stall's end, not scheduled in the past.
    Scenario s = ExampleScenariosTest.example("workload-a-network.yaml").withDuration(1_200_000_000L)
        .withFaults(List.of(new Fault(null, Fault.Kind.STALL, "netpoller", null, 1_000_000_000L, 1_100_000_000L,
            null, null, null, null, null)));
    RunSummary r = twiceTheSame(s);
    assertEquals("ok", r.outcome());
    assertTrue(r.faults().get(0).fired() > 100, r.faults().toString());
    assertTrue(r.requestLatencyNs().max() > 50_000_000L, "requests wait for the deaf netpoller: " + r.requestLatencyNs());
  }

  @Test
  void faultsThatNeverFireLeaveTheRunAsItWas() throws Exception {
    // The fault layer is installed (every message through the mailbox and the interceptors),
    // but its only fault is outside the run: everything but "faults" is byte for byte the same.
    Scenario plain = DeterminismTest.example("workload-e-bursty.yaml", 7);
    Fault never = new Fault(null, Fault.Kind.STALL, "sysmon", null, 5_000_000_000L, 6_000_000_000L,
        null, null, null, null, null);
    Fault noMatch = new Fault(null, Fault.Kind.DROP, "P[*]", "Drop", null, null, 0.0, null, null, null, null);
    DeterminismTest.Output a = DeterminismTest.runAlone(plain);
    DeterminismTest.Output b = DeterminismTest.runAlone(plain.withFaults(List.of(never, noMatch)));
    ObjectNode withFaults = (ObjectNode) DeterminismTest.JSON.readTree(b.summaryJson());
    JsonNode faults = withFaults.remove("faults");
    assertEquals(2, faults.size());
    assertEquals(0, faults.get(0).get("fired").asLong());
    assertEquals(a.summaryJson(), DeterminismTest.JSON.writeValueAsString(withFaults));
    assertEquals(a.schedtrace(), b.schedtrace());
    assertEquals(a.timeseries(), b.timeseries());
  }

  // Environment faults: syscall-hang, gomaxprocs, max-threads.

  @Test
  void aReadThatHangsUnderLockOSThreadLosesItsThreadButNotTheP() throws Exception {
    Scenario s = load("lockosthread-read-hangs.yaml");
    RunSummary hung = twiceTheSame(s);
    RunSummary plain = once(s.withFaults(List.of()));
    assertEquals("ok", hung.outcome());
    RunSummary.FaultReport r = hung.faults().get(0);
    assertEquals("syscall-hang", r.kind());
    assertEquals(1, r.fired(), "the locked goroutine makes one read after 1s, and it never returns");
    RunSummary.Firing f = r.firings().get(0);
    assertEquals("read", f.message());
    assertEquals("hang", f.action());
    assertTrue(f.atNs() >= 1_000_000_000L && f.atNs() < 1_100_000_000L, f.toString());
    assertTrue(f.actor().startsWith("M["), f.toString());
    // Its 5us reads are never retaken, the hung one is: sysmon took its P back.
    assertEquals(0, plain.syscallTable().get("read").retaken());
    assertEquals(1, hung.syscallTable().get("read").retaken());
    assertTrue(hung.syscallTable().get("read").calls() < plain.syscallTable().get("read").calls() / 2,
        "no read after the hung one: the locked goroutine is stuck in it");
    // The others carry on with every P.
    assertTrue(hung.syscallTable().get("write").calls() > 0.9 * plain.syscallTable().get("write").calls());
    // The hung M stays in its syscall to the end: the last scheddetail lists it, without a P.
    String trace = DeterminismTest.runAlone(s).schedtrace();
    String last = trace.substring(trace.lastIndexOf("SCHED "));
    String m = "  M" + f.actor().substring(2, f.actor().length() - 1) + ": p=nil curg=";
    assertTrue(last.lines().anyMatch(l -> l.startsWith(m)), last);
  }

  @Test
  void gomaxprocsChangedTwiceStopsTheWorldAndResizesThePs() throws Exception {
    Scenario s = load("gomaxprocs-shrink.yaml");
    RunSummary r = twiceTheSame(s);
    assertEquals("ok", r.outcome());
    assertEquals(2, r.faults().size());
    assertTrue(r.faults().get(0).firings().get(0).action().matches("stop the world \\S+, procresize 4 -> 2"),
        r.faults().get(0).toString());
    assertTrue(r.faults().get(1).firings().get(0).action().matches("stop the world \\S+, procresize 2 -> 4"),
        r.faults().get(1).toString());
    // Every schedtrace block prints the GOMAXPROCS of its time and one line per P.
    String trace = DeterminismTest.runAlone(s).schedtrace();
    long lastThreads = 0;
    for (String block : trace.split("(?=SCHED )")) {
      if (block.isEmpty()) {
        continue;
      }
      long ms = Long.parseLong(block.substring(6, block.indexOf("ms:")));
      int procs = ms > 1000 && ms <= 2000 ? 2 : 4;
      if (ms == 1000 || ms == 2000) {
        continue; // the line printed in the stop-the-world itself may show either
      }
      assertTrue(block.contains("gomaxprocs=" + procs + " "), block);
      assertEquals(procs, block.lines().filter(l -> l.startsWith("  P")).count(), block);
      long threads = Long.parseLong(block.replaceAll("(?s).*? threads=(\\d+).*", "$1"));
      assertTrue(threads >= lastThreads, "threads never shrink: " + block);
      lastThreads = threads;
    }
  }

  @Test
  void setMaxThreadsLowKillsUnboundedCgoWithTheRuntimesMessage() throws Exception {
    Scenario s = load("max-threads-lowered.yaml");
    RunSummary r = twiceTheSame(s);
    assertEquals("fatal: runtime: program exceeds 200-thread limit", r.outcome());
    assertTrue(r.virtualTimeNs() > 10_000_000L, "after the call at 10ms: " + r.virtualTimeNs());
    assertEquals(1, r.faults().get(0).fired());
    assertEquals(10_000_000L, r.faults().get(0).firings().get(0).atNs());
    assertEquals("SetMaxThreads(200)", r.faults().get(0).firings().get(0).action());
    // Without the call the program passes 200 threads by then and lives.
    RunSummary plain = once(s.withFaults(List.of()).withDuration(r.virtualTimeNs() + 10_000_000L));
    assertEquals("ok", plain.outcome());
    assertTrue(plain.threads().peak() > 200, plain.threads().toString());
  }

  // --- actor faults: crash, pause ---

  @Test
  void aCrashedPRestartedByItsSupervisorLosesItsRunQueueAndTheOutcomeSaysSo() throws Exception {
    Scenario s = load("crash-p-restart.yaml");
    RunSummary r = twiceTheSame(s);
    // P1 held goroutines in its run queue when it crashed (17 with the CLI's options, seed 1).
    assertTrue(r.outcome().matches("invariant-violated: \\d+ goroutines are lost \\(put in a local run queue, in none now\\); "
        + "after P\\[1\\] crashed at 1s \\(restart\\)"), r.outcome());
    RunSummary.FaultReport f = r.faults().get(0);
    assertEquals(1, f.fired());
    RunSummary.Firing c = f.firings().get(0);
    assertEquals(List.of(1_000_000_000L, "P[1]", "crash"), List.of(c.atNs(), c.actor(), c.message()));
    assertTrue(c.action().matches("restart: was _P\\w+( on M\\d+)?, \\d+ goroutines in its run queue"), c.action());
    assertEquals(2_000_000_000L, r.virtualTimeNs(), "the restarted P1 runs on: the run goes to its end");
    assertEquals("ok", once(s.withFaults(List.of())).outcome());

    // Stopped instead: its messages are dead letters, and the lost-P check names the dead actor.
    Fault stop = new Fault(null, Fault.Kind.CRASH, "P[1]", null, null, null, null, null, null, null, null, null,
        1_000_000_000L, null, Fault.Supervision.STOP);
    RunSummary stopped = twiceTheSame(s.withFaults(List.of(stop)));
    assertTrue(stopped.outcome().startsWith("invariant-violated: P1 is lost (its actor was stopped by a crash at 1s ("),
        stopped.outcome());
    assertTrue(stopped.outcome().endsWith("messages to it dead letters)); after P[1] crashed at 1s (stop)"),
        stopped.outcome());
  }

  @Test
  void aPausedPRunsNothingInItsWindowAndTheTraceGoesOn() throws Exception {
    Scenario s = load("pause-p.yaml");
    RunSummary paused = twiceTheSame(s);
    RunSummary plain = once(s.withFaults(List.of()));
    assertEquals("ok", paused.outcome());
    RunSummary.FaultReport f = paused.faults().get(0);
    assertEquals(new RunSummary.Firing(1_000_000_000L, "P[2]", "Preempt", "pause until 1100ms"), f.firings().get(0));
    for (RunSummary.Firing x : f.firings()) {
      assertTrue(x.atNs() >= 1_000_000_000L && x.atNs() < 1_100_000_000L, x.toString());
      assertTrue(!List.of("StealRequest", "RunqPut").contains(x.message()), x.toString());
    }
    assertTrue(paused.pUtilization() < plain.pUtilization() - 0.01, paused.pUtilization() + " vs " + plain.pUtilization());
    assertTrue(paused.schedLatencyNs().max() > 90_000_000L, "the preempted goroutine waits out the pause");
    assertTrue(plain.schedLatencyNs().max() < 20_000_000L, plain.schedLatencyNs().toString());
    List<Long> at = traceTimes(DeterminismTest.runAlone(s.withDuration(1_200_000_000L)).schedtrace());
    assertTrue(at.stream().anyMatch(t -> t > 1000 && t < 1100), "schedtrace goes on through a pause: " + at);
  }

  @Test
  void gomaxprocsRaisedAboveItsStartIsWatchedByTheLivenessChecksToo() throws Exception {
    // The checks between messages must know the Ps a gomaxprocs fault adds (a regression: they
    // were sized for the first GOMAXPROCS, and the run hung on an index out of bounds).
    Scenario s = load("gomaxprocs-shrink.yaml");
    Fault grow = new Fault(null, Fault.Kind.GOMAXPROCS, null, null, null, null, null, null, null, null, null, null,
        500_000_000L, 8, null);
    RunSummary r = twiceTheSame(s.withFaults(List.of(grow)).withDuration(1_500_000_000L));
    assertEquals("ok", r.outcome());
    assertEquals(1, r.faults().get(0).fired());
  }
}
