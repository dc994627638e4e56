package dev.gmpsim.protocol.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ScenarioLoaderTest {
  static final Path EXAMPLES = Files.isDirectory(Path.of("examples")) ? Path.of("examples") : Path.of("..", "examples");

  @Test
  void everyExampleLoads() throws Exception {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        Scenario s = ScenarioLoader.load(f);
        assertTrue(s.duration() > 0, f.toString());
        assertTrue(!s.workload().isEmpty(), f.toString());
      }
    }
  }

  @Test
  void stepsAndDefaults() throws Exception {
    Scenario s = ScenarioLoader.parse("t.yaml", """
        runtime: {gomaxprocs: 2, retake: threshold, retake-threshold: 1us, idle-ms: pool, idle-ms-cap: 3}
        semaphores: {cgo: 4}
        workload:
          - kind: goroutines
            count: 3
            steps:
              - compute: exp(20us)
              - syscall: {name: read, duration: "lognormal(1ms, 5ms)"}
              - cgo: 50ms
              - acquire: cgo
              - release: cgo
              - vdso: clock_gettime
              - lock-os-thread
              - loop: {count: 2, steps: [net-write, {sleep: 1ms}]}
              - spawn: [block]
              - exit
        """);
    assertEquals(2, s.runtime().gomaxprocs());
    assertEquals(RuntimeSpec.Retake.THRESHOLD, s.runtime().retake());
    assertEquals(1_000L, s.runtime().retakeThreshold());
    assertEquals(RuntimeSpec.IdleMs.POOL, s.runtime().idleMs());
    assertEquals(10, s.workload().get(0).steps().size());
    assertInstanceOf(Step.Syscall.class, s.workload().get(0).steps().get(1));
    assertEquals("read", ((Step.Syscall) s.workload().get(0).steps().get(1)).name());
    assertTrue(s.usesCgo());
    assertEquals(10_000_000_000L, s.duration(), "default duration 10s");
    assertEquals(10_000, s.runtime().maxThreads());
  }

  @Test
  void wakeupOnSyscallAndCgoSteps() throws Exception {
    Scenario s = ScenarioLoader.parse("t.yaml", """
        runtime: {costs: {syscall-wakeup: 5us}}
        workload:
          - kind: goroutines
            steps:
              - syscall: {name: read, duration: 1ms, wakeup: 0}
              - syscall-block: {duration: 1ms, wakeup: "exp(10us)"}
              - cgo: {duration: 2ms, wakeup: 3us}
              - cgo: 2ms
        """);
    List<Step> st = s.workload().get(0).steps();
    assertEquals(new Step.Syscall("read", Dist.parse("1ms"), Dist.parse("0")), st.get(0));
    assertEquals(new Step.SyscallBlock("syscall", Dist.parse("1ms"), Dist.parse("exp(10us)")), st.get(1));
    assertEquals(new Step.Cgo(Dist.parse("2ms"), Dist.parse("3us")), st.get(2));
    assertEquals(new Step.Cgo(Dist.parse("2ms"), null), st.get(3));
    assertEquals(Dist.parse("5us"), s.runtime().costs().syscallWakeup());
    ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.parse("t.yaml", """
        workload:
          - kind: goroutines
            steps:
              - cgo: {duration: 2ms, wakup: 3us}
        """));
    assertEquals(4, e.line());
    assertTrue(e.getMessage().contains("wakeup"), "suggests the nearest key: " + e.getMessage());
    e = assertThrows(ScenarioException.class, () -> ScenarioLoader.parse("t.yaml", """
        workload:
          - kind: goroutines
            steps:
              - cgo: {wakeup: 3us}
        """));
    assertTrue(e.getMessage().contains("cgo needs a duration"), e.getMessage());
  }

  @Test
  void loopUntilAndFor() throws Exception {
    Scenario s = ScenarioLoader.parse("t.yaml", """
        workload:
          - kind: goroutines
            steps:
              - loop: {until: 2s, steps: [gosched]}
              - loop: {for: 500ms, count: 3, steps: [gosched]}
        """);
    List<Step> st = s.workload().get(0).steps();
    assertEquals(new Step.Loop(0, List.of(new Step.Gosched()), 2_000_000_000L, null), st.get(0));
    assertEquals(new Step.Loop(3, List.of(new Step.Gosched()), null, 500_000_000L), st.get(1));
    ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.parse("t.yaml", """
        workload:
          - kind: goroutines
            steps:
              - loop: {until: soon, steps: [gosched]}
        """));
    assertEquals(4, e.line());
    assertTrue(e.getMessage().contains("until"), e.getMessage());
  }

  @Test
  void openLoopNetRead() throws Exception {
    Scenario s = ScenarioLoader.parse("t.yaml", """
        workload:
          - kind: goroutines
            steps:
              - net-read: {every: 200ms, first: "uniform(0ms, 200ms)"}
              - net-read: {wait: 5ms}
        """);
    List<Step> st = s.workload().get(0).steps();
    assertEquals(new Step.NetRead(Dist.parse("0"), Dist.parse("200ms"), Dist.parse("uniform(0ms, 200ms)")), st.get(0));
    assertEquals(new Step.NetRead(Dist.parse("5ms")), st.get(1));
    ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.parse("t.yaml", """
        workload:
          - kind: goroutines
            steps:
              - net-read: {wait: 5ms, every: 1ms}
        """));
    assertTrue(e.getMessage().contains("not both"), e.getMessage());
    assertEquals(4, e.line());
    Scenario c = ScenarioLoader.parse("t.yaml", """
        workload:
          - kind: connections
            count: 10
            interval: 200ms
            steps: [net-write]
        """);
    assertEquals(Dist.parse("200ms"), c.workload().get(0).interval());
    assertEquals(null, c.workload().get(0).think());
    e = assertThrows(ScenarioException.class, () -> ScenarioLoader.parse("t.yaml", """
        workload:
          - kind: connections
            think: 1ms
            interval: 200ms
            steps: [net-write]
        """));
    assertTrue(e.getMessage().contains("interval") && e.getMessage().contains("not both"), e.getMessage());
    e = assertThrows(ScenarioException.class, () -> ScenarioLoader.parse("t.yaml", """
        workload:
          - kind: goroutines
            interval: 200ms
            steps: [net-write]
        """));
    assertTrue(e.getMessage().contains("interval is for connections"), e.getMessage());
  }

  @Test
  void impossibleValuesNameTheirKeyAndLine() {
    ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.parse("t.yaml", """
        name: x
        workload:
          - kind: goroutines
            count: 0
            steps: [block]
        """));
    assertEquals(4, e.line());
    assertEquals("workload[0].count", e.key());
    assertTrue(e.getMessage().startsWith("t.yaml:4:"), e.getMessage());
  }

  @Test
  void unknownSemaphoreAndUnknownDistribution() {
    ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.parse("t.yaml", """
        workload:
          - kind: goroutines
            steps: [{acquire: nope}]
        """));
    assertTrue(e.getMessage().contains("semaphore 'nope'"), e.getMessage());
    e = assertThrows(ScenarioException.class, () -> ScenarioLoader.parse("t.yaml", """
        workload:
          - kind: goroutines
            steps: [{compute: "gamma(1ms)"}]
        """));
    assertEquals(3, e.line());
    assertTrue(e.getMessage().contains("unknown distribution 'gamma'"), e.getMessage());
  }

  @Test
  void emptyAndNotYaml() {
    assertThrows(ScenarioException.class, () -> ScenarioLoader.parse("t.yaml", "  "));
    ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.parse("t.yaml", "a: [1, 2\n"));
    assertTrue(e.line() >= 1, e.getMessage());
  }

  @Test
  void nearestKeySuggestion() {
    assertEquals("gomaxprocs", ScenarioLoader.nearest("gomaxproc", java.util.List.of("gomaxprocs", "cgo", "vdso")));
    assertEquals(null, ScenarioLoader.nearest("zzzzzz", java.util.List.of("gomaxprocs", "cgo")));
  }

  static final String BLOCK = "workload:\n  - kind: goroutines\n    steps: [block]\n";

  /** Bad input and the one line it must give: file, line, column, key and what is wrong. */
  static Stream<Arguments> badInput() {
    return Stream.of(
        Arguments.of("duration: 99999999999999999999s\n" + BLOCK,
            "t.yaml:1:1: duration: '99999999999999999999s' is too large for a duration (at most 9223372036s, about 292 years)"),
        Arguments.of("duration: 2h\n" + BLOCK,
            "t.yaml:1:1: duration: 2h is longer than 1h, the longest run GMPsim simulates"),
        Arguments.of("duration: -3s\n" + BLOCK, "t.yaml:1:1: duration: '-3s': a duration must not be negative"),
        Arguments.of("schedtrace: 1ns\n" + BLOCK,
            "t.yaml:1:1: schedtrace: 1ns over 10s is 10000000000 samples, more than the 1000000 a run holds; use 10us or more"),
        Arguments.of("seed: 99999999999999999999\n" + BLOCK,
            "t.yaml:1:1: seed: 99999999999999999999 is too large (at most 9223372036854775807)"),
        Arguments.of("runtime: {gomaxprocs: 2.5}\n" + BLOCK, "t.yaml:1:23: runtime.gomaxprocs: must be a whole number, got 2.5"),
        Arguments.of("runtime: {gomaxprocs: 99999999999}\n" + BLOCK,
            "t.yaml:1:11: runtime.gomaxprocs: 99999999999 is too large (at most 2147483647)"),
        Arguments.of("runtime:\n  gomaxprocs: [4\n" + BLOCK,
            "t.yaml:2:15: not valid YAML: this '[' list is not closed by ']' (or an item in it is malformed): expected ',' or ']', but got ':'"),
        Arguments.of("runtime:\n  gomaxprocs:\n" + BLOCK,
            "t.yaml:2:3: runtime.gomaxprocs: no value given (write one, or leave the key out for the default)"),
        Arguments.of("runtime: {retake: sometimes}\n" + BLOCK,
            "t.yaml:1:11: runtime.retake: 'sometimes' is not a retake rule; one of: go, threshold"),
        Arguments.of("runtime: 5\n" + BLOCK, "t.yaml:1:10: runtime: must be a mapping, got 5"),
        Arguments.of("workload:\n  - kind: goroutines\n    count: 2.7\n    steps: [block]\n",
            "t.yaml:3:12: workload[0].count: must be a whole number, got 2.7"),
        Arguments.of("workload:\n  - kind: threads\n    steps: [block]\n",
            "t.yaml:2:5: workload[0].kind: 'threads' is not a kind; one of: connections, arrivals, goroutines"),
        Arguments.of("workload:\n  - kind: goroutnes\n    steps: [block]\n",
            "t.yaml:2:5: workload[0].kind: 'goroutnes' is not a kind (did you mean 'goroutines'?); one of: connections, arrivals, goroutines"),
        Arguments.of("workload: 5\n", "t.yaml:1:11: workload: must be a list of groups, got 5"),
        Arguments.of("workload: [5]\n",
            "t.yaml:1:12: workload[0]: must be a group (a mapping with kind:, steps: and so on), got 5"),
        Arguments.of("workload:\n  - kind: goroutines\n    steps: block\n",
            "t.yaml:3:12: workload[0].steps: must be a list of steps, got 'block'"),
        Arguments.of("duration: [1s]\n" + BLOCK, "t.yaml:1:1: duration: must be a duration such as 50ms, got a list"),
        Arguments.of("workload:\n  - kind: goroutines\n    steps: [{lock-os-thread: 5}]\n",
            "t.yaml:3:30: workload[0].steps[0]: lock-os-thread takes no argument (write '- lock-os-thread'), got 5"),
        Arguments.of("workload:\n  - kind: goroutines\n    steps: [{exit: now}]\n",
            "t.yaml:3:20: workload[0].steps[0]: exit takes no argument (write '- exit'), got 'now'"),
        Arguments.of("workload:\n  - kind: goroutines\n    steps: [{loop: {count: 2.5, steps: [block]}}]\n",
            "t.yaml:3:28: workload[0].steps[0]: loop count must be a whole number (0 = forever), got 2.5"),
        Arguments.of("workload:\n  - kind: goroutines\n    steps: [{cgo: {duration: }}]\n",
            "t.yaml:3:29: workload[0].steps[0]: cgo: duration must be a single value, got nothing"),
        Arguments.of("workload:\n  - kind: goroutines\n    steps: [{compute: 99999999999999999999s}]\n",
            "t.yaml:3:23: workload[0].steps[0]: '99999999999999999999s' is too large for a duration (at most 9223372036s, about 292 years)"),
        Arguments.of("workload:\n  - kind: goroutines\n    steps: [{file-read: {size: 99999999999GB}}]\n",
            "t.yaml:3:45: workload[0].steps[0]: file-read: '99999999999GB' is too large for a size (at most 8191PB)"),
        Arguments.of("workload:\n  - kind: goroutines\n    think: 1ms\n    steps: [block]\n",
            "t.yaml:3:5: workload[0].think: think is for connections groups"),
        Arguments.of("workload:\n  - kind: goroutines\n    rate: 5/s\n    steps: [block]\n",
            "t.yaml:3:5: workload[0].rate: rate is for arrivals groups"),
        Arguments.of("workload:\n  - kind: arrivals\n    rate: 5000000000/s\n    steps: [exit]\n",
            "t.yaml:3:5: workload[0].rate: '5000000000/s' is more than one event per nanosecond (1000000000/s), the finest virtual time can space"),
        Arguments.of("workload:\n  - kind: connections\n    steps: [net-write]\n",
            "t.yaml:2:5: workload[0]: a connections group needs think: (from each answer to the next request; think: 0 for back to back), interval: (a request every interval) or tick: (at most one request a tick, each after the answer)"),
        Arguments.of("duration: 1s\nduration: 2s\n" + BLOCK,
            "t.yaml:2:1: duration: 'duration' is written twice (first at line 1); remove one"),
        Arguments.of("workload:\n  - kind: goroutines\n    steps: [block]\n    steps: [exit]\n",
            "t.yaml:4:5: workload[0].steps: 'steps' is written twice (first at line 3); remove one"),
        Arguments.of("worklaod:\n  - kind: goroutines\n    steps: [block]\n",
            "t.yaml:1:1: worklaod: unknown key 'worklaod' (did you mean 'workload'?); valid keys: description, duration,"
                + " faults, heap, include, machine, name, runtime, schedtrace, seed, semaphores, steps, sync, warmup, workload"),
        Arguments.of("5\n", "t.yaml:1:1: the file must be a mapping of keys (name:, runtime:, workload:, ...), not a single value (5)"),
        Arguments.of("- a\n", "t.yaml:1:1: the file must be a mapping of keys (name:, runtime:, workload:, ...), not a list"),
        Arguments.of(BLOCK + "---\n" + BLOCK, "t.yaml:4:1: a second YAML document starts here ('---'); the file must hold one"),
        Arguments.of("name: a\n  b: c\n" + BLOCK, "t.yaml:2:4: not valid YAML: mapping values are not allowed here"),
        Arguments.of("name: \"abc\n" + BLOCK, "t.yaml:1:7: not valid YAML: this quoted text is not closed: found the end of the file"),
        Arguments.of("runtime:\n\tgomaxprocs: 2\n" + BLOCK, "t.yaml:2:1: not valid YAML: a tab character; YAML is indented with spaces"),
        Arguments.of("name: a\u0000b\n" + BLOCK, "t.yaml:1:8: not a YAML text file (it holds the control character U+0000)"),
        Arguments.of("scenario:\n  " + BLOCK.replace("\n  ", "\n    ") + "parameters: []\n",
            "t.yaml: this is a sweep file, not a scenario; run it with: gmpsim sweep t.yaml --out DIR"));
  }

  @ParameterizedTest
  @MethodSource("badInput")
  void badInputIsOneLineWithFileLineColumnAndKey(String yaml, String message) {
    ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.parse("t.yaml", yaml));
    assertEquals(message, e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }

  @Test
  void aFileThatIsNotUtf8SaysSoWithItsPosition(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bin.yaml");
    Files.write(f, new byte[] {'a', ':', ' ', '1', '\n', 'b', (byte) 0xff, (byte) 0xfe});
    ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.load(f));
    assertEquals(f + ":2:2: not a text file (not UTF-8), so not YAML", e.getMessage());
  }

  @Test
  void durationsSizesAndRatesRejectOverflowAndNegatives() {
    assertEquals(Long.MAX_VALUE, Nanos.parse("9223372036854775807ns"));
    assertThrows(IllegalArgumentException.class, () -> Nanos.parse("9223372036854775808ns"));
    assertEquals(1_500_000L, Nanos.parse("1.5ms"));
    assertEquals(100_000L, Nanos.parse("0.1ms"), "exact decimal, no binary rounding");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Bytes.parse("-1KB")).getMessage().contains("must not be negative"));
    assertThrows(IllegalArgumentException.class, () -> Bytes.parse("9999999999999GB"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Nanos.parseRate("-5/s")).getMessage().contains("must not be negative"));
  }

  @Test
  void thinkZeroIsTheWayToAskForBackToBackRequests() throws Exception {
    Scenario s = ScenarioLoader.parse("t.yaml", "workload:\n  - kind: connections\n    think: 0\n    steps: [net-write]\n");
    assertEquals(Dist.constant(0), s.workload().get(0).think());
  }

  @Test
  void theLimitsThemselvesAreAccepted() throws Exception {
    Scenario s = ScenarioLoader.parse("t.yaml", "duration: 1h\nschedtrace: 3600us\n" + BLOCK);
    assertEquals(Scenario.MAX_DURATION, s.duration());
    assertEquals(null, Scenario.samplingProblem(10 * Nanos.S, 10 * Nanos.US));
  }
}
