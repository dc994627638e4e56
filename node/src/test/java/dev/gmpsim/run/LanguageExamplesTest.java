package dev.gmpsim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gmpsim.protocol.result.RunSummary;
import dev.gmpsim.protocol.scenario.Scenario;
import dev.gmpsim.protocol.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example in examples/language/ end to end: ok, no broken invariant, the same bytes twice
 * with the same seed; and what each one's comment promises.
 */
class LanguageExamplesTest {
  @BeforeAll
  static void setUp() {
    DeterminismTest.setUp();
  }

  @AfterAll
  static void tearDown() {
    DeterminismTest.tearDown();
  }

  static Path folder() {
    return ExampleScenariosTest.examples().resolve("language");
  }

  static Stream<String> files() throws Exception {
    try (Stream<Path> files = Files.list(folder())) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList().stream();
    }
  }

  static Scenario load(String file) throws Exception {
    return ScenarioLoader.load(folder().resolve(file));
  }

  static RunSummary once(Scenario s) throws Exception {
    return DeterminismTest.JSON.readValue(DeterminismTest.runAlone(s).summaryJson(), RunSummary.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void everyLanguageExampleRunsOkAndTheSameTwice(String file) throws Exception {
    Scenario s = load(file);
    RunSummary r = FaultExamplesTest.twiceTheSame(s);
    assertEquals("ok", r.outcome(), file);
    assertEquals(0, r.invariants().violations(), file);
    assertEquals(s.duration(), r.virtualTimeNs(), file + " ran to the end");
  }

  @Test
  void pipeReadersAreWokenByWritesTimeOutAndAreClosedOut() throws Exception {
    RunSummary r = once(load("pipe-wake.yaml"));
    long writes = r.syscallTable().get("write").calls();
    long reads = r.syscallTable().get("read").calls();
    assertTrue(writes > 5_000, "20 writers every ~500us for 800ms: " + writes);
    // A read that parks is two read calls (EAGAIN, then the data); one read takes what is there.
    assertTrue(reads > writes && reads <= 2 * writes + 100, "reads " + reads + ", writes " + writes);
    assertEquals(1, r.syscallTable().get("close").calls());
    assertEquals(5, r.goroutines().fin(), "every reader timed out or was closed out and returned");
    assertTrue(r.threads().peak() <= r.gomaxprocs() + 3, "parked readers hold no thread: " + r.threads().peak());
  }

  @Test
  void theTickedClientSendsOneRequestPerAnswerUnlikeTheOpenLoopOne() throws Exception {
    Scenario s = load("ticker-client.yaml");
    RunSummary ticked = once(s);
    RunSummary open = once(ScenarioLoader.parse("open.yaml", Files.readString(folder().resolve("ticker-client.yaml"))
        .replace("tick: 10ms", "interval: 10ms")));
    RunSummary think = once(ScenarioLoader.parse("think.yaml", Files.readString(folder().resolve("ticker-client.yaml"))
        .replace("tick: 10ms", "think: 10ms")));
    // 50 connections, one request per ~15ms answer, over the 1.8s after warm-up.
    long expected = (long) (50 * 1.8 / 0.015);
    assertEquals(expected, ticked.requestLatencyNs().count(), expected * 0.1);
    assertTrue(ticked.requestLatencyNs().p99() < 20_000_000, "no queueing: " + ticked.requestLatencyNs());
    assertTrue(open.requestLatencyNs().p50() > 100_000_000, "open loop piles up: " + open.requestLatencyNs());
    assertTrue(think.requestLatencyNs().count() < 0.7 * ticked.requestLatencyNs().count(),
        "thinking 10ms after each answer is one request every ~25ms: " + think.requestLatencyNs().count());
  }

  @Test
  void groupsStartWhenTheOtherGroupIsThereAndAtTheirTime() throws Exception {
    RunSummary r = once(load("group-start.yaml"));
    assertEquals(100, r.syscallTable().get("connect").calls());
    assertEquals(2, r.syscallTable().get("openat").calls(), "the reporter and the checkpoint ran");
    assertEquals(5, r.goroutines().fin());
    // When each started, counted by what a loop until a fixed time managed to do.
    RunSummary timed = once(ScenarioLoader.parse("timed.yaml", """
        duration: 1s
        sync: {waitgroups: {dialed: 4}, flags: [go]}
        workload:
          - {kind: goroutines, count: 4, steps: [{sleep: 500ms}, {done: dialed}]}
          - kind: goroutines
            start-when: {waitgroup: dialed}
            steps: [{loop: {until: 700ms, steps: [{syscall: {name: write, duration: 10us}}, {sleep: 1ms}]}}, {set: go}]
          - kind: goroutines
            start-at: 800ms
            steps: [{loop: {until: 900ms, steps: [{syscall: {name: pwrite64, duration: 10us}}, {sleep: 1ms}]}}]
          - kind: goroutines
            start-when: {flag: go}
            start: 100ms
            steps: [{syscall: {name: fdatasync, duration: 10us}}]
          - kind: goroutines
            start-when: {flag: go}
            start: 350ms
            steps: [{syscall: {name: fsync, duration: 10us}}]
        """));
    long fromDials = timed.syscallTable().get("write").calls();
    long fromStartAt = timed.syscallTable().get("pwrite64").calls();
    assertTrue(fromDials > 50 && fromDials < 220, "200ms of 1ms sleeps after the dials at 500ms: " + fromDials);
    assertTrue(fromStartAt > 25 && fromStartAt < 110, "100ms from 800ms: " + fromStartAt);
    assertEquals(1, timed.syscallTable().get("fdatasync").calls(), "100ms after the flag at 700ms");
    assertEquals(null, timed.syscallTable().get("fsync"), "the flag came at 700ms: 350ms later is past the run's end");
  }

  @Test
  void theProgramsTimerSlackShortensItsOwnSleepsOnly() throws Exception {
    String text = Files.readString(folder().resolve("timer-slack.yaml"));
    RunSummary tight = once(load("timer-slack.yaml"));
    RunSummary dflt = once(ScenarioLoader.parse("d.yaml", text.replace("timer-slack: 1us", "timer-slack: 50us")));
    RunSummary unset = once(ScenarioLoader.parse("u.yaml", text.replace(", timer-slack: 1us", "")));
    assertEquals(unset.events(), dflt.events(), "50us is Linux's default: the same run");
    assertEquals(unset.retakes(), dflt.retakes());
    assertEquals(unset.syscallTable(), dflt.syscallTable());
    assertTrue(tight.retakes() < dflt.retakes(), "shorter sleeps are retaken less: " + tight.retakes() + " vs " + dflt.retakes());
    assertTrue(tight.syscalls() > dflt.syscalls(), "and more of them fit in the run");
  }

  @Test
  void anArrivalsGroupThatStartsLateHasNoBacklogFromBeforeItsStart() throws Exception {
    for (String start : new String[] {"start-at: 500ms", "start-when: {flag: open}"}) {
      RunSummary r = once(ScenarioLoader.parse("late.yaml", """
          duration: 1s
          sync: {flags: [open]}
          workload:
            - {kind: goroutines, steps: [{sleep: 500ms}, {set: open}]}
            - {kind: arrivals, %s, rate: 2k/s, arrival: constant, steps: [{compute: 20us}]}
          """.formatted(start)));
      assertEquals(1_000, r.requestLatencyNs().count(), 30, start + ": 2k/s over the last 500ms");
      assertTrue(r.requestLatencyNs().p99() < 1_000_000, start + ": no clients queued before the start: "
          + r.requestLatencyNs());
    }
  }
}
