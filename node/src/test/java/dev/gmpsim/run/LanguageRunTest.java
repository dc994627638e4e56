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

  /** release is {@code <-sem}: on an empty semaphore it parks until someone acquires. */
  @Test
  void releaseOnAnEmptySemaphoreBlocksUntilAnAcquire() throws Exception {
    RunSummary early = run("""
        duration: 100ms
        semaphores: {s: 2}
        workload:
          - name: releaser
            kind: goroutines
            steps: [release: s, {compute: 1ms}]
        """);
    // Nobody will ever acquire: the releaser sleeps forever, and checkdead says so, as Go would.
    assertEquals("deadlock: all goroutines are asleep - deadlock!", early.outcome());
    assertTrue(early.virtualTimeNs() < 1_000_000L, "the run ends at the deadlock: " + early.virtualTimeNs());
    double goNs = early.pUtilization() * early.gomaxprocs() * early.virtualTimeNs();
    assertTrue(goNs < 100_000, "the 1ms compute after the release never ran: " + goNs + "ns of Go code");
    RunSummary later = run("""
        duration: 100ms
        semaphores: {s: 2}
        workload:
          - name: releaser
            kind: goroutines
            steps: [release: s, {compute: 1ms}]
          - name: acquirer
            kind: goroutines
            steps: [{sleep: 10ms}, acquire: s]
        """);
    assertEquals("ok", later.outcome());
    assertTrue(later.pUtilization() > 0.0025, "1ms of compute ran once the acquire filled the semaphore");
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

  @Test
  void anOpenLoopClientQueuesRequestsThatAClosedLoopClientWouldNotHaveSent() throws Exception {
    // One connection, 2ms of Go code per request. A closed-loop client (think 1ms) waits for
    // each answer: every request takes 2ms. An open-loop client sends every 1ms whatever the
    // answers: requests pile up in the socket and each waits longer than the one before.
    String body = """
        runtime: {gomaxprocs: 1}
        duration: 200ms
        workload:
          - kind: connections
            count: 1
            %s
            steps: [{compute: 2ms}, net-write]
        """;
    RunSummary closed = run(body.formatted("think: 1ms"));
    RunSummary open = run(body.formatted("interval: 1ms"));
    assertEquals("ok", closed.outcome());
    assertEquals("ok", open.outcome());
    assertTrue(closed.requestLatencyNs().max() < 2_100_000, "closed loop: " + closed.requestLatencyNs());
    // About 100 served in 200ms while 200 were sent: the last ones waited ~100ms.
    assertTrue(open.requestLatencyNs().count() >= 95 && open.requestLatencyNs().count() <= 100,
        "open loop served " + open.requestLatencyNs().count());
    assertTrue(open.requestLatencyNs().max() > 90_000_000, "open loop: " + open.requestLatencyNs());
  }

  @Test
  void loopsCanRunUntilADeadlineOrForAWhile() throws Exception {
    // Each pass: a getpid and 3ms of Go code. A pass starts only before the deadline, as
    // "for time.Now().Before(deadline)": from about 0, passes start at 0, 3, 6 and 9ms.
    String body = """
        runtime: {gomaxprocs: 1}
        duration: 50ms
        workload:
          - kind: goroutines
            steps:
              - loop: {%s, steps: [{syscall: {name: getpid, duration: 1us}}, {compute: 3ms}]}
              - syscall: {name: close, duration: 1us}
        """;
    for (String limit : new String[] {"until: 10ms", "for: 10ms", "until: 10ms, count: 100"}) {
      RunSummary s = run(body.formatted(limit));
      assertEquals("ok", s.outcome());
      assertEquals(4, s.syscallTable().get("getpid").calls(), limit);
      assertEquals(1, s.syscallTable().get("close").calls(), limit + ": the steps after the loop run");
    }
    RunSummary both = run(body.formatted("until: 10ms, count: 2"));
    assertEquals(2, both.syscallTable().get("getpid").calls(), "the count ends it first");
    RunSummary late = run(body.formatted("until: 0s"));
    assertEquals(null, late.syscallTable().get("getpid"), "a deadline already past: no pass");
  }
}
