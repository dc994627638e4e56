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
}
