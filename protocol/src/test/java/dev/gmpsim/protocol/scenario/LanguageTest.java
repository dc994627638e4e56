package dev.gmpsim.protocol.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scenario language beyond the basics: reuse, file reads, schedules, distributions. */
class LanguageTest {
  static final String WORKLOAD = "workload:\n  - kind: goroutines\n    steps: [{call: work}]\n";

  @Test
  void namedStepListsAndIncludes(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("base.yaml"), "semaphores: {disk: 8}\nsteps:\n  work: [{compute: 1ms}]\n");
    Files.writeString(dir.resolve("lib.yaml"), "include: [base.yaml]\nsteps:\n  io: [{acquire: disk}, {release: disk}]\n");
    Path main = dir.resolve("main.yaml");
    Files.writeString(main, "include: [lib.yaml]\nsteps:\n  work: [{compute: 2ms}, {call: io}]\n" + WORKLOAD);
    Scenario s = ScenarioLoader.load(main);
    assertEquals(8, s.semaphores().get("disk"), "from a file included by an included file");
    assertEquals(new Step.Compute(Dist.constant(2_000_000)), s.steps().get("work").get(0), "the including file wins");
    assertTrue(s.steps().containsKey("io"));
    assertTrue(s.problems().isEmpty());
  }

  @Test
  void unknownCallAndSelfCallAndMissingIncludeAreErrorsAtTheirLine(@TempDir Path dir) throws Exception {
    Path main = dir.resolve("main.yaml");
    Files.writeString(main, "name: x\n" + WORKLOAD);
    ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.load(main));
    assertEquals(4, e.line());
    assertTrue(e.getMessage().contains("no step list named 'work'"), e.getMessage());

    Files.writeString(main, "steps:\n  work: [{call: work}]\n" + WORKLOAD);
    e = assertThrows(ScenarioException.class, () -> ScenarioLoader.load(main));
    assertTrue(e.getMessage().contains("calls itself"), e.getMessage());

    Files.writeString(main, "include: [nope.yaml]\n" + WORKLOAD);
    e = assertThrows(ScenarioException.class, () -> ScenarioLoader.load(main));
    assertEquals(1, e.line());
    assertTrue(e.getMessage().contains("included file 'nope.yaml' not found"), e.getMessage());

    Files.writeString(dir.resolve("loop.yaml"), "include: [loop.yaml]\n");
    Files.writeString(main, "include: [loop.yaml]\nsteps:\n  work: [exit]\n" + WORKLOAD);
    e = assertThrows(ScenarioException.class, () -> ScenarioLoader.load(main));
    assertTrue(e.getMessage().contains("includes itself"), e.getMessage());

    Files.writeString(dir.resolve("bad.yaml"), "steps:\n  work: [{compute: 1ms}]\n  x: 3\n");
    Files.writeString(main, "include: [bad.yaml]\n" + WORKLOAD);
    e = assertThrows(ScenarioException.class, () -> ScenarioLoader.load(main));
    assertTrue(e.file().endsWith("bad.yaml"), "the error names the included file: " + e.getMessage());
    assertEquals(3, e.line());
  }

  @Test
  void fileReadWithDefaultsAndUnits() throws Exception {
    Scenario s = ScenarioLoader.parse("t.yaml", """
        workload:
          - kind: goroutines
            steps:
              - file-read: {size: 64KB, chunk: 16KB, cache-hit: 0.75, cold: "lognormal(2ms, 20ms)"}
              - file-read: {size: 10KB}
        """);
    Step.FileRead f = assertInstanceOf(Step.FileRead.class, s.workload().get(0).steps().get(0));
    assertEquals(65_536, f.size());
    assertEquals(4, f.dataReads());
    assertEquals(0.75, f.cacheHit());
    assertEquals(new Dist.LogNormal(2_000_000, 20_000_000), f.cold());
    Step.FileRead d = assertInstanceOf(Step.FileRead.class, s.workload().get(0).steps().get(1));
    assertEquals(1, d.dataReads(), "os.ReadFile reads a file in one read by default");
    assertEquals(1.0, d.cacheHit());
    ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.parse("t.yaml", """
        workload:
          - kind: goroutines
            steps:
              - file-read: {size: 1KB, cache-hit: 2}
        """));
    assertEquals(4, e.line());
    assertTrue(e.getMessage().contains("cache-hit"), e.getMessage());
  }

  @Test
  void rawSyscallAndRequestBoundaries() throws Exception {
    Scenario s = ScenarioLoader.parse("raw.yaml", """
        workload:
          - kind: goroutines
            steps:
              - raw-syscall: {name: epoll_ctl, duration: 2us}
              - raw-syscall: 5us
              - request-start
              - request-end
        """);
    List<Step> steps = s.workload().get(0).steps();
    assertEquals(new Step.RawSyscall("epoll_ctl", Dist.constant(2_000)), steps.get(0));
    assertEquals(new Step.RawSyscall("rawsyscall", Dist.constant(5_000)), steps.get(1));
    assertEquals(new Step.RequestStart(), steps.get(2));
    assertEquals(new Step.RequestEnd(), steps.get(3));
    ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.parse("raw.yaml", """
        workload:
          - kind: goroutines
            steps:
              - raw-syscall: {name: epoll_ctl}
        """));
    assertTrue(e.getMessage().startsWith("raw.yaml:4:"), e.getMessage());
    assertTrue(e.getMessage().contains("raw-syscall needs a duration"), e.getMessage());
  }

  @Test
  void syncBlockAndItsSteps() throws Exception {
    Scenario s = ScenarioLoader.parse("sync.yaml", """
        sync:
          channels: {work: 0, results: 8}
          waitgroups: {started: 4}
          flags: [stop]
        workload:
          - kind: goroutines
            steps:
              - done: started
              - wait: started
              - loop: {until-set: stop, steps: [{recv: work}, {send: results}]}
              - set: stop
              - close: work
        """);
    assertEquals(new Sync(java.util.Map.of("work", 0, "results", 8), java.util.Map.of("started", 4), List.of("stop")), s.sync());
    List<Step> steps = s.workload().get(0).steps();
    assertEquals(new Step.Done("started"), steps.get(0));
    assertEquals(new Step.Wait("started"), steps.get(1));
    assertEquals("stop", ((Step.Loop) steps.get(2)).untilSet());
    assertEquals(new Step.Set("stop"), steps.get(3));
    assertEquals(new Step.Close("work"), steps.get(4));
    assertTrue(s.problems().isEmpty(), s.problems().toString());
  }

  @Test
  void syncMistakesNameTheirPlace() {
    ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.parse("sync.yaml", """
        sync:
          channels: {work: -1}
        workload:
          - kind: goroutines
            steps: [block]
        """));
    assertTrue(e.getMessage().startsWith("sync.yaml:"), e.getMessage());
    assertTrue(e.getMessage().contains("channel 'work' needs a capacity of 0 (unbuffered) or more"), e.getMessage());
    e = assertThrows(ScenarioException.class, () -> ScenarioLoader.parse("sync.yaml", """
        sync:
          flags: [stop]
        workload:
          - kind: goroutines
            steps:
              - recv: wrok
        """));
    assertTrue(e.getMessage().startsWith("sync.yaml:6:"), e.getMessage());
    assertTrue(e.getMessage().contains("channel 'wrok' is not declared under sync.channels"), e.getMessage());
    e = assertThrows(ScenarioException.class, () -> ScenarioLoader.parse("sync.yaml", """
        sync:
          flags: [stop]
        workload:
          - kind: goroutines
            steps:
              - loop: {until-set: stpo, steps: [gosched]}
        """));
    assertTrue(e.getMessage().contains("flag 'stpo' is not declared under sync.flags"), e.getMessage());
  }

  @Test
  void pipesAndTheirSteps() throws Exception {
    Scenario s = ScenarioLoader.parse("pipes.yaml", """
        sync:
          pipes: {p: 4, last: 1}
        workload:
          - kind: goroutines
            steps:
              - pipe-write: p
              - pipe-read: p
              - pipe-read: {pipe: p, deadline: 5ms, on-error: break}
              - pipe-close: last
              - pipe-close: {pipe: p, end: write}
        """);
    assertEquals(java.util.Map.of("p", 4, "last", 1), s.sync().pipes());
    List<Step> steps = s.workload().get(0).steps();
    assertEquals(new Step.PipeWrite("p"), steps.get(0));
    assertEquals(new Step.PipeRead("p", null, Step.OnError.CONTINUE), steps.get(1));
    assertEquals(new Step.PipeRead("p", Dist.constant(5_000_000), Step.OnError.BREAK), steps.get(2));
    assertEquals(new Step.PipeClose("last", Step.End.READ), steps.get(3));
    assertEquals(new Step.PipeClose("p", Step.End.WRITE), steps.get(4));
  }

  @Test
  void pipeMistakesNameFileLineColumnAndKey() {
    String head = "sync:\n  pipes: {p: 1}\nworkload:\n  - kind: goroutines\n    steps:\n";
    assertMistake(head + "      - pipe-read: q\n", "pipes.yaml:6:", "pipe 'q' is not declared under sync.pipes");
    assertMistake(head + "      - pipe-read: {pipe: p, on-error: brake}\n", "pipes.yaml:6:",
        "'brake' is not a valid on-error (did you mean 'break'?)");
    assertMistake(head + "      - pipe-read: {pipe: p, dedline: 5ms}\n", "pipes.yaml:6:", "dedline");
    assertMistake(head + "      - pipe-read: {deadline: 5ms}\n", "pipes.yaml:6:", "pipe-read needs a pipe");
    assertMistake(head + "      - pipe-close: {pipe: p, end: both}\n", "pipes.yaml:6:", "'both' is not a valid end");
    assertMistake(head + "      - pipe-write: [p]\n", "pipes.yaml:6:", "pipe-write takes a name, got a list");
    assertMistake("sync:\n  pipes: {p: 0}\nworkload:\n  - kind: goroutines\n    steps: [block]\n", "pipes.yaml:2:",
        "pipe 'p' needs a count of 1 or more");
  }

  @Test
  void groupStartsAtATimeOrWhenAnotherGroupReachesAPoint() throws Exception {
    Scenario s = ScenarioLoader.parse("start.yaml", """
        duration: 2s
        sync: {flags: [accepted], waitgroups: {dialed: 10}}
        workload:
          - {kind: goroutines, start-at: 500ms, steps: [block]}
          - {kind: goroutines, start-when: {flag: accepted}, start: 10ms, steps: [block]}
          - {kind: goroutines, start-when: {waitgroup: dialed}, steps: [block]}
        """);
    assertEquals(500_000_000L, s.workload().get(0).startAt());
    assertEquals(new Group.StartWhen("accepted", null), s.workload().get(1).startWhen());
    assertEquals(10_000_000L, s.workload().get(1).start());
    assertEquals(new Group.StartWhen(null, "dialed"), s.workload().get(2).startWhen());
    assertEquals(null, s.workload().get(0).startWhen());
  }

  @Test
  void groupStartMistakes() {
    String sync = "duration: 1s\nsync: {flags: [accepted], waitgroups: {dialed: 2}}\nworkload:\n";
    assertMistake(sync + "  - {kind: goroutines, start-at: 2s, steps: [block]}\n", "start.yaml:4:",
        "start-at: 2s is not inside the run (duration: 1s)");
    assertMistake(sync + "  - {kind: goroutines, start-at: 2ms, start: 1ms, steps: [block]}\n", "start.yaml:4:",
        "give start (a delay) or start-at (a time in the run), not both");
    assertMistake(sync + "  - kind: goroutines\n    start-when: {flag: acepted}\n    steps: [block]\n", "start.yaml:5:",
        "flag 'acepted' is not declared under sync.flags");
    assertMistake(sync + "  - kind: goroutines\n    start-when: {waitgroup: dialled}\n    steps: [block]\n", "start.yaml:5:",
        "waitgroup 'dialled' is not declared under sync.waitgroups");
    assertMistake(sync + "  - kind: goroutines\n    start-when: {flag: accepted, waitgroup: dialed}\n    steps: [block]\n",
        "start.yaml:5:", "start-when takes one of flag: NAME or waitgroup: NAME");
    assertMistake(sync + "  - kind: goroutines\n    start-when: {flg: accepted}\n    steps: [block]\n",
        "start.yaml:5:", "flg");
  }

  @Test
  void aTickerPacedClientAndTheProgramsTimerSlack() throws Exception {
    Scenario s = ScenarioLoader.parse("tick.yaml", """
        runtime: {timer-slack: 1us}
        workload:
          - {kind: connections, count: 10, tick: 10ms, steps: [{compute: 1ms}]}
        """);
    assertEquals(10_000_000L, s.workload().get(0).tick());
    assertEquals(1_000L, s.runtime().timerSlack());
    assertEquals(RuntimeSpec.DEFAULT_TIMER_SLACK_NS, rt("timer-slack: 0").timerSlack(), "0 is the default, as for prctl");
    assertEquals(null, rt("gomaxprocs: 2").timerSlack());
    assertMistake("workload:\n  - {kind: connections, tick: 10ms, think: 1ms, steps: [net-write]}\n", "tick.yaml:2:",
        "give one of think, interval or tick");
    assertMistake("workload:\n  - {kind: goroutines, tick: 10ms, steps: [net-write]}\n", "tick.yaml:2:",
        "tick is for connections groups");
    assertMistake("workload:\n  - {kind: connections, tick: 0, steps: [net-write]}\n", "tick.yaml:2:",
        "tick must be positive");
    assertMistake("runtime: {timer-slack: -1us}\nworkload:\n  - {kind: goroutines, steps: [block]}\n", "tick.yaml:1:",
        "timer-slack");
  }

  @Test
  void scenariosWithoutTheNewKeysSerializeAsBeforeSoTheirRunIdsStay() throws Exception {
    Scenario s = ScenarioLoader.parse("old.yaml", """
        sync: {channels: {c: 0}}
        workload:
          - {kind: connections, count: 2, think: 1ms, steps: [net-write]}
        """);
    com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(s);
    for (String key : List.of("startAt", "startWhen", "tick")) {
      assertTrue(!json.get("workload").get(0).has(key), key + " in " + json);
    }
    assertTrue(!json.get("runtime").has("timerSlack"), json.toString());
    assertTrue(!json.get("sync").has("pipes"), json.toString());
    assertTrue(json.get("runtime").get("costs").has("timerSlack"), "the cost table's own key stays");
  }

  /** The file fails to load with one line that starts with {@code where} and says {@code what}. */
  private static void assertMistake(String yaml, String where, String what) {
    String file = where.substring(0, where.indexOf(':'));
    ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.parse(file, yaml), yaml);
    assertTrue(e.getMessage().startsWith(where), e.getMessage());
    assertTrue(e.getMessage().contains(what), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }

  @Test
  void histAndMixDistributions() {
    SplittableRandom rng = new SplittableRandom(5);
    Dist h = Dist.parse("hist(1ms: 90, 10ms: 10)");
    long[] v = new long[100_000];
    for (int i = 0; i < v.length; i++) {
      v[i] = h.sample(rng);
    }
    long tens = Arrays.stream(v).filter(x -> x == 10_000_000).count();
    assertEquals(10_000, tens, 600);
    assertTrue(Arrays.stream(v).allMatch(x -> x == 1_000_000 || x == 10_000_000));
    assertEquals(1_900_000, h.mean(), 1);
    Dist m = Dist.parse("mix(0.25, 1ms, uniform(3ms, 5ms))");
    assertEquals(0.25 * 1_000_000 + 0.75 * 4_000_000, m.mean(), 1);
    assertThrows(IllegalArgumentException.class, () -> Dist.parse("hist(1ms)"));
    assertThrows(IllegalArgumentException.class, () -> Dist.parse("mix(2, 1ms, 2ms)"));
  }

  @Test
  void rateSchedulesAndConstantArrivals() throws Exception {
    Scenario s = ScenarioLoader.parse("t.yaml", """
        workload:
          - kind: arrivals
            arrival: constant
            rate-schedule: [{at: 0s, rate: 1k/s}, {at: 2s, rate: 5k/s}]
            steps: [exit]
        """);
    Group g = s.workload().get(0);
    assertEquals(Group.Arrival.CONSTANT, g.arrival());
    assertEquals(5000.0, g.rateSchedule().get(1).perSecond());
    ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.parse("t.yaml", """
        workload:
          - kind: arrivals
            rate: 1k/s
            rate-schedule: [{at: 0s, rate: 1k/s}]
            steps: [exit]
        """));
    assertTrue(e.getMessage().contains("either rate or rate-schedule"), e.getMessage());
  }

  @Test
  void gomaxprocsFollowsTheContainerLimitFromGo125() throws Exception {
    assertEquals(8, rt("cpus: 8, cpu-limit: 2.5, go-version: \"1.24\"").gomaxprocs(), "1.24 ignores the limit");
    assertEquals(3, rt("cpus: 8, cpu-limit: 2.5, go-version: \"1.25\"").gomaxprocs(), "rounded up");
    assertEquals(2, rt("cpus: 8, cpu-limit: 0.5, go-version: \"1.25\"").gomaxprocs(), "at least 2");
    assertEquals(4, rt("cpus: 4, cpu-limit: 16, go-version: \"1.25\"").gomaxprocs(), "never above the CPUs");
    assertEquals(6, rt("gomaxprocs: 6, cpus: 8, cpu-limit: 2, go-version: \"1.25\"").gomaxprocs(), "GOMAXPROCS set wins");
  }

  private static RuntimeSpec rt(String keys) throws ScenarioException {
    return ScenarioLoader.parse("t.yaml", "runtime: {" + keys + "}\nworkload:\n  - kind: goroutines\n    steps: [exit]\n").runtime();
  }
}
