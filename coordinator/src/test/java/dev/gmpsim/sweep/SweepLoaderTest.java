package dev.gmpsim.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gmpsim.protocol.scenario.Dist;
import dev.gmpsim.protocol.scenario.Nanos;
import dev.gmpsim.protocol.scenario.ScenarioException;
import dev.gmpsim.protocol.scenario.Step;
import dev.gmpsim.protocol.sweep.RunRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sweep files: each parameter kind, combination, ids, replicas, and every kind of mistake. */
class SweepLoaderTest {
  static final Path EXAMPLES =
      Files.isDirectory(Path.of("examples")) ? Path.of("examples") : Path.of("..", "examples");

  static final String BASE =
      """
      name: base
      runtime:
        gomaxprocs: 2
      duration: 1s
      semaphores:
        cgo: 4
      workload:
        - name: conns
          kind: connections
          count: 10
          think: exp(10ms)
          steps:
            - compute: exp(50us)
            - acquire: cgo
            - cgo: 1ms
            - release: cgo
            - net-write
        - name: arrivals
          kind: arrivals
          rate: 1k/s
          steps:
            - syscall: {name: pread64, duration: 100us}
      """;

  @TempDir Path dir;

  @BeforeEach
  void base() throws IOException {
    write("base.yaml", BASE);
  }

  Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    return p;
  }

  SweepPlan load(String sweep) throws Exception {
    return SweepLoader.load(write("sweep.yaml", sweep));
  }

  ScenarioException error(String sweep) throws IOException {
    Path f = write("sweep.yaml", sweep);
    return assertThrows(ScenarioException.class, () -> SweepLoader.load(f));
  }

  /** The message names the sweep file, line, column and key, on one line. */
  static void assertAt(ScenarioException e, int line, String key, String... words) {
    String m = e.getMessage();
    assertTrue(m.contains("sweep.yaml:" + line + ":"), m);
    assertEquals(line, e.line(), m);
    assertTrue(e.column() > 0, m);
    assertEquals(key, e.key(), m);
    assertTrue(m.contains(": " + key + ": "), m);
    assertFalse(m.contains("\n"), m);
    for (String w : words) {
      assertTrue(m.contains(w), "expected '" + w + "' in: " + m);
    }
  }

  static List<String> values(SweepPlan p, String path) {
    List<String> out = new ArrayList<>();
    p.runs().forEach(r -> out.add(r.parameters().get(path)));
    return out;
  }

  // --- parameter kinds ---------------------------------------------------------------------------

  @Test
  void valuesSetTheScenarioAtThePath() throws Exception {
    SweepPlan p = load("""
        base: base.yaml
        parameters:
          - path: runtime.gomaxprocs
            values: [1, 2, 4, 8]
        """);
    assertEquals(4, p.points());
    assertEquals(4, p.runs().size());
    assertEquals(List.of(1, 2, 4, 8), p.runs().stream().map(r -> r.scenario().runtime().gomaxprocs()).toList());
    assertEquals(List.of("1", "2", "4", "8"), values(p, "runtime.gomaxprocs"));
    assertEquals("sweep", p.name());
    assertEquals(dir.resolve("base.yaml").normalize(), p.base());
    SweepParameter sp = p.parameters().get(0);
    assertEquals("values", sp.kind());
    assertEquals(List.of("1", "2", "4", "8"), sp.values());
    // Everything else is the base's.
    RunRequest r = p.runs().get(0);
    assertEquals(Nanos.S, r.scenario().duration());
    assertEquals(10, r.scenario().workload().get(0).count());
    assertEquals(1, r.attempt());
  }

  @Test
  void valuesReachIntoStepsMapsAndDistributions() throws Exception {
    SweepPlan p = load("""
        base: base.yaml
        parameters:
          - path: workload[0].steps[2].cgo
            values: [5ms, "lognormal(1ms, 10ms)"]
          - path: semaphores.cgo
            values: [8]
          - path: workload[1].rate
            values: [2k/s]
          - path: workload[1].steps[0].syscall.duration
            values: [exp(1ms)]
          - path: runtime.retake-threshold
            values: [20us]
        """);
    assertEquals(2, p.runs().size());
    RunRequest r = p.runs().get(0);
    assertEquals(new Step.Cgo(new Dist.Const(5 * Nanos.MS)), r.scenario().workload().get(0).steps().get(2));
    assertTrue(((Step.Cgo) p.runs().get(1).scenario().workload().get(0).steps().get(2)).duration() instanceof Dist.LogNormal);
    assertEquals(8, r.scenario().semaphores().get("cgo"));
    assertEquals(2000.0, r.scenario().workload().get(1).ratePerSecond());
    assertEquals(new Step.Syscall("pread64", new Dist.Exp(Nanos.MS)), r.scenario().workload().get(1).steps().get(0));
    assertEquals(20 * Nanos.US, r.scenario().runtime().retakeThreshold());
  }

  @Test
  void linearAndLogRangesKeepTheirUnits() throws Exception {
    SweepPlan p = load("""
        base: base.yaml
        parameters:
          - path: workload[1].rate
            range: {from: 1k/s, to: 16k/s, steps: 5, scale: log}
        """);
    assertEquals(List.of("1k/s", "2k/s", "4k/s", "8k/s", "16k/s"), values(p, "workload[1].rate"));
    assertEquals(16000.0, p.runs().get(4).scenario().workload().get(1).ratePerSecond(), 1e-9);
    assertEquals("range 1k/s..16k/s, 5 steps, log", p.parameters().get(0).spec());

    p = load("""
        base: base.yaml
        parameters:
          - path: runtime.retake-threshold
            range: {from: 1us, to: 1ms, steps: 7, scale: log}
        """);
    assertEquals(List.of("1us", "3.162us", "10us", "31.623us", "100us", "316.228us", "1ms"),
        values(p, "runtime.retake-threshold"));
    assertEquals(List.of(1000L, 3162L, 10_000L, 31_623L, 100_000L, 316_228L, 1_000_000L),
        p.runs().stream().map(r -> r.scenario().runtime().retakeThreshold()).toList());

    p = load("""
        base: base.yaml
        parameters:
          - path: runtime.gomaxprocs
            range: {from: 1, to: 10, steps: 4}
          - path: workload[0].steps[2].cgo
            range: {from: 10ms, to: 30ms, step: 10ms}
        """);
    assertEquals(List.of("1", "4", "7", "10"), p.parameters().get(0).values());
    assertEquals(List.of("10ms", "20ms", "30ms"), p.parameters().get(1).values());
    assertEquals("linear", p.parameters().get(0).spec().substring(p.parameters().get(0).spec().lastIndexOf(' ') + 1));
    assertEquals(12, p.runs().size());

    p = load("""
        base: base.yaml
        parameters:
          - path: semaphores.cgo
            range: {from: 2, to: 64, step: 2, scale: log}
          - path: runtime.cpu-limit
            range: {from: 0.5, to: 1.5, steps: 3}
        """);
    assertEquals(List.of("2", "4", "8", "16", "32", "64"), p.parameters().get(0).values());
    assertEquals(List.of("0.5", "1", "1.5"), p.parameters().get(1).values());
    assertEquals(1.5, p.runs().get(2).scenario().runtime().cpuLimit());
  }

  @Test
  void templatesWrapGeneratedValues() throws Exception {
    SweepPlan p = load("""
        base: base.yaml
        parameters:
          - path: workload[0].think
            range: {from: 250ms, to: 1s, steps: 3, scale: log}
            template: exp({})
        """);
    assertEquals(List.of("exp(250ms)", "exp(500ms)", "exp(1s)"), values(p, "workload[0].think"));
    assertEquals(new Dist.Exp(500 * Nanos.MS), p.runs().get(1).scenario().workload().get(0).think());
  }

  @Test
  void randomSamplesStayInBoundsKeepUnitsAndFollowTheSeed() throws Exception {
    String sweep = """
        base: base.yaml
        seed: 5
        parameters:
          - path: workload[0].steps[2].cgo
            random: {from: 1ms, to: 100ms, count: 10, scale: log}
        """;
    SweepPlan p = load(sweep);
    assertEquals(10, p.runs().size());
    for (RunRequest r : p.runs()) {
      String v = r.parameters().get("workload[0].steps[2].cgo");
      assertTrue(v.endsWith("ms") || v.endsWith("us"), v);
      long ns = ((Dist.Const) ((Step.Cgo) r.scenario().workload().get(0).steps().get(2)).duration()).ns();
      assertTrue(ns >= Nanos.MS && ns <= 100 * Nanos.MS, v);
      assertEquals(Nanos.parse(v), ns);
    }
    assertEquals(p.parameters().get(0).values(), load(sweep).parameters().get(0).values());
    assertNotEquals(p.parameters().get(0).values(), load(sweep.replace("seed: 5", "seed: 6")).parameters().get(0).values());
  }

  @Test
  void latinHypercubeSamplesParametersJointlyOncePerStratum() throws Exception {
    SweepPlan p = load("""
        base: base.yaml
        parameters:
          - latin-hypercube:
              count: 20
              parameters:
                - path: workload[0].steps[2].cgo
                  from: 1ms
                  to: 100ms
                  scale: log
                - path: workload[1].rate
                  from: 1k/s
                  to: 21k/s
                - path: runtime.gomaxprocs
                  from: 1
                  to: 8
        """);
    assertEquals(20, p.points());
    assertEquals(3, p.parameters().size());
    p.parameters().forEach(sp -> assertEquals(0, sp.axis()));
    p.parameters().forEach(sp -> assertEquals("latin-hypercube", sp.kind()));
    // Each of the 20 strata of each parameter holds exactly one point.
    Set<Integer> cgo = new HashSet<>();
    Set<Integer> rate = new HashSet<>();
    for (RunRequest r : p.runs()) {
      double ms = Nanos.parse(r.parameters().get("workload[0].steps[2].cgo")) / 1e6;
      cgo.add((int) Math.floor(Math.log(ms) / Math.log(100) * 20));
      double perS = r.scenario().workload().get(1).ratePerSecond();
      assertTrue(r.parameters().get("workload[1].rate").endsWith("k/s"));
      rate.add((int) Math.floor((perS - 1000) / 1000));
      int procs = r.scenario().runtime().gomaxprocs();
      assertTrue(procs >= 1 && procs <= 8);
      assertTrue(r.parameters().get("runtime.gomaxprocs").matches("[1-8]"));
    }
    assertEquals(20, cgo.size());
    assertEquals(20, rate.size());
  }

  @Test
  void aRandomSetSamplesJointPoints() throws Exception {
    SweepPlan p = load("""
        base: base.yaml
        parameters:
          - path: runtime.gomaxprocs
            values: [1, 2]
          - random:
              count: 5
              parameters:
                - {path: "workload[0].steps[2].cgo", from: 1ms, to: 10ms}
                - {path: "workload[0].think", from: 1ms, to: 10ms, template: "exp({})"}
        """);
    assertEquals(10, p.points());
    assertEquals(10, p.runs().size());
    assertEquals(1, p.parameters().get(1).axis());
    assertEquals(p.parameters().get(1).axis(), p.parameters().get(2).axis());
    assertTrue(p.runs().get(0).parameters().get("workload[0].think").startsWith("exp("));
  }

  // --- combination, replicas, ids --------------------------------------------------------------------

  @Test
  void listsAndRangesMultiplySampledSetsAreJointAndReplicasRepeatEachPoint() throws Exception {
    SweepPlan p = load("""
        base: base.yaml
        seed: 100
        replicas: 3
        parameters:
          - path: runtime.gomaxprocs
            values: [1, 2, 4]
          - path: workload[1].rate
            range: {from: 1k/s, to: 2k/s, steps: 2}
          - latin-hypercube:
              count: 4
              parameters:
                - {path: "workload[0].steps[2].cgo", from: 1ms, to: 10ms}
                - {path: semaphores.cgo, from: 1, to: 100}
        """);
    assertEquals(3 * 2 * 4, p.points());
    assertEquals(3 * 2 * 4 * 3, p.runs().size());
    assertEquals(0, p.duplicates());
    assertEquals(3, p.replicas());
    // Replicas innermost with seeds seed, seed+1, seed+2; the first axis varies slowest.
    List<Long> seeds = p.runs().stream().map(RunRequest::seed).toList();
    assertEquals(List.of(100L, 101L, 102L, 100L, 101L, 102L), seeds.subList(0, 6));
    p.runs().forEach(r -> assertEquals(r.seed(), r.scenario().seed()));
    assertEquals(p.runs().get(0).parameters(), p.runs().get(2).parameters());
    assertNotEquals(p.runs().get(2).parameters(), p.runs().get(3).parameters());
    assertEquals("1", p.runs().get(0).parameters().get("runtime.gomaxprocs"));
    assertEquals("1", p.runs().get(23).parameters().get("runtime.gomaxprocs"));
    assertEquals("2", p.runs().get(24).parameters().get("runtime.gomaxprocs"));
    assertEquals(List.of("runtime.gomaxprocs", "workload[1].rate", "workload[0].steps[2].cgo", "semaphores.cgo"),
        new ArrayList<>(p.runs().get(0).parameters().keySet()));
    assertEquals(p.runs().size(), p.runs().stream().map(RunRequest::runId).distinct().count());
  }

  @Test
  void idsAreStableHashesOfTheResolvedScenarioAndSeed() throws Exception {
    String sweep = """
        base: base.yaml
        replicas: 2
        parameters:
          - path: runtime.gomaxprocs
            values: [1, 2]
          - random: {count: 3, parameters: [{path: semaphores.cgo, from: 1, to: 1000}]}
        """;
    SweepPlan a = load(sweep);
    SweepPlan b = load(sweep);
    assertEquals(a.runs().stream().map(RunRequest::runId).toList(), b.runs().stream().map(RunRequest::runId).toList());
    for (RunRequest r : a.runs()) {
      assertTrue(r.runId().matches("[0-9a-f]{16}"), r.runId());
      assertEquals(RunIds.of(r.scenario(), r.seed()), r.runId());
    }
    // Comments, layout and the sweep's name do not change what runs, so not the ids either.
    SweepPlan c = load("# a comment\nname: other\n" + sweep.replace("values: [1, 2]", "values:\n      - 1\n      - 2"));
    assertEquals(a.runs().stream().map(RunRequest::runId).toList(), c.runs().stream().map(RunRequest::runId).toList());
    // A run with the same resolved scenario and seed has the same id in another sweep.
    SweepPlan d = load("""
        base: base.yaml
        parameters:
          - path: runtime.gomaxprocs
            values: [2]
        """);
    SweepPlan e = load("""
        base: base.yaml
        parameters:
          - path: runtime.gomaxprocs
            values: [1, 2]
        """);
    assertEquals(d.runs().get(0).runId(), e.runs().get(1).runId());
    // Writing the base's own value gives the base run.
    assertEquals(RunIds.of(e.baseScenario().withSeed(1), 1), e.runs().get(1).runId());
    assertNotEquals(e.runs().get(0).runId(), e.runs().get(1).runId());
  }

  @Test
  void canonicalFormTellsStepKindsApart() {
    assertNotEquals(
        RunIds.canonical(new dev.gmpsim.protocol.scenario.Scenario(null, null, null, null, null, null, null, null, null, null, null,
            List.of(new dev.gmpsim.protocol.scenario.Group("g", dev.gmpsim.protocol.scenario.Group.Kind.GOROUTINES,
                1, null, null, null, null, null, null, List.of(new Step.Compute(new Dist.Const(1))), null)), null, null, null)),
        RunIds.canonical(new dev.gmpsim.protocol.scenario.Scenario(null, null, null, null, null, null, null, null, null, null, null,
            List.of(new dev.gmpsim.protocol.scenario.Group("g", dev.gmpsim.protocol.scenario.Group.Kind.GOROUTINES,
                1, null, null, null, null, null, null, List.of(new Step.Cgo(new Dist.Const(1))), null)), null, null, null)));
  }

  @Test
  void identicalRunsAppearOnce() throws Exception {
    SweepPlan p = load("""
        base: base.yaml
        parameters:
          - path: runtime.gomaxprocs
            values: [1, 2, 1]
        """);
    assertEquals(3, p.points());
    assertEquals(2, p.runs().size());
    assertEquals(1, p.duplicates());
  }

  @Test
  void noParametersIsOnePointWithReplicas() throws Exception {
    SweepPlan p = load("base: base.yaml\nreplicas: 4\nseed: 9\n");
    assertEquals(1, p.points());
    assertEquals(List.of(9L, 10L, 11L, 12L), p.runs().stream().map(RunRequest::seed).toList());
    assertTrue(p.runs().get(0).parameters().isEmpty());
  }

  // --- overrides, metrics, inline scenarios, includes ---------------------------------------------------

  @Test
  void durationAndWarmupOverridesApplyToEveryRun() throws Exception {
    SweepPlan p = load("""
        base: base.yaml
        duration: 300ms
        warmup: 100ms
        parameters:
          - path: runtime.gomaxprocs
            values: [1, 2]
        """);
    assertEquals(300 * Nanos.MS, p.duration());
    p.runs().forEach(r -> assertEquals(300 * Nanos.MS, r.scenario().duration()));
    p.runs().forEach(r -> assertEquals(100 * Nanos.MS, r.scenario().warmup()));
    assertEquals(2 * 300 * Nanos.MS, p.virtualNs());
  }

  @Test
  void metricsDefaultToEverySummaryFieldAndAreChecked() throws Exception {
    SweepPlan p = load("base: base.yaml\n");
    assertTrue(p.metrics().containsAll(List.of("threads.peak", "threads.final", "retakes", "requestLatencyNs.p99", "exitsyscall.slow")));
    assertFalse(p.metrics().contains("threads"));
    p = load("""
        base: base.yaml
        metrics: [threads.peak, retakes, requestLatencyNs.p99, syscallTable.read.calls, threads]
        """);
    assertEquals(List.of("threads.peak", "retakes", "requestLatencyNs.p99", "syscallTable.read.calls", "threads.final",
        "threads.mean", "threads.schedtrace.peak", "threads.schedtrace.final", "threads.schedtrace.mean",
        "threads.os.peak", "threads.os.final", "threads.os.mean"), p.metrics());
    ScenarioException e = error("""
        base: base.yaml
        metrics:
          - threads.peak
          - threads.peek
        """);
    assertAt(e, 4, "metrics[1]", "unknown summary field 'threads.peek'", "did you mean 'threads.peak'?");
  }

  @Test
  void anInlineScenarioWorksAndItsMistakesPointIntoTheSweepFile() throws Exception {
    String sweep = """
        name: inline
        scenario:
          runtime:
            gomaxprocs: 2
          duration: 500ms
          workload:
            - kind: goroutines
              count: 3
              steps: [{syscall: 1ms}]
        parameters:
          - path: workload[0].count
            values: [1, 5]
        """;
    SweepPlan p = load(sweep);
    assertNull(p.base());
    assertEquals("inline", p.name());
    assertEquals(List.of(1, 5), p.runs().stream().map(r -> r.scenario().workload().get(0).count()).toList());
    ScenarioException e = error(sweep.replace("gomaxprocs: 2", "gomaxproc: 2"));
    assertAt(e, 4, "scenario.runtime.gomaxproc", "did you mean 'gomaxprocs'?");
  }

  @Test
  void includesAndNamedStepsOfTheBaseStillWork() throws Exception {
    write("lib/common.yaml", """
        semaphores:
          io: 2
        steps:
          handle:
            - compute: 10us
            - acquire: io
            - syscall: 1ms
            - release: io
        """);
    write("scenarios/with-include.yaml", """
        name: with-include
        include: [../lib/common.yaml]
        duration: 1s
        workload:
          - kind: arrivals
            rate: 100/s
            steps: [{call: handle}, net-write]
        """);
    write("sweeps/s.yaml", """
        base: ../scenarios/with-include.yaml
        parameters:
          - path: semaphores.io
            values: [1, 8]
          - path: workload[0].rate
            values: [200/s]
        """);
    SweepPlan p = SweepLoader.load(dir.resolve("sweeps/s.yaml"));
    assertEquals(2, p.runs().size());
    assertEquals(1, p.runs().get(0).scenario().semaphores().get("io"));
    assertEquals(8, p.runs().get(1).scenario().semaphores().get("io"));
    assertEquals(4, p.runs().get(0).scenario().steps().get("handle").size());
    // The included file's content is part of what the id hashes.
    String before = p.runs().get(0).runId();
    write("lib/common.yaml", Files.readString(dir.resolve("lib/common.yaml")).replace("syscall: 1ms", "syscall: 2ms"));
    assertNotEquals(before, SweepLoader.load(dir.resolve("sweeps/s.yaml")).runs().get(0).runId());
  }

  // --- mistakes -------------------------------------------------------------------------------------

  @Test
  void aTypoInAPathNamesTheNearestKey() throws Exception {
    ScenarioException e = error("""
        base: base.yaml
        parameters:
          - path: runtime.gomaxproc
            values: [1, 2]
        """);
    assertAt(e, 3, "parameters[0].path", "unknown key 'gomaxproc'", "did you mean 'gomaxprocs'?");
    e = error("""
        base: base.yaml
        parameters:
          - path: runtime.gomaxprocs
            values: [1]
          - path: workload[0].thnk
            range: {from: 1ms, to: 2ms, steps: 2}
        """);
    assertAt(e, 5, "parameters[1].path", "workload[0].thnk", "did you mean 'think'?");
    e = error("""
        base: base.yaml
        parameters:
          - path: semaphores.cg
            values: [1]
        """);
    assertAt(e, 3, "parameters[0].path", "no entry 'cg' under semaphores", "did you mean 'cgo'?");
    e = error("""
        base: base.yaml
        parameters:
          - path: workload[0].steps[0].cgo
            values: [1ms]
        """);
    assertAt(e, 3, "parameters[0].path", "workload[0].steps[0] is a 'compute' step", "no 'cgo'");
    e = error("""
        base: base.yaml
        parameters:
          - latin-hypercube:
              count: 3
              parameters:
                - {path: runtime.gomaxprocs, from: 1, to: 4}
                - {path: runtime.retake-treshold, from: 1us, to: 1ms}
        """);
    assertAt(e, 7, "parameters[0].latin-hypercube.parameters[1].path", "did you mean 'retake-threshold'?");
  }

  @Test
  void anIndexOutOfRangeSaysHowManyThereAre() throws Exception {
    ScenarioException e = error("""
        base: base.yaml
        parameters:
          - path: workload[2].rate
            values: [1k/s]
        """);
    assertAt(e, 3, "parameters[0].path", "index 2 is out of range", "workload has 2 entries");
    e = error("""
        base: base.yaml
        parameters:
          - path: workload[0].steps[5].cgo
            values: [1ms]
        """);
    assertAt(e, 3, "parameters[0].path", "index 5 is out of range", "workload[0].steps has 5 entries");
  }

  @Test
  void emptyRangesAndZeroCountsAreMistakes() throws Exception {
    ScenarioException e = error("""
        base: base.yaml
        parameters:
          - path: workload[1].rate
            range: {from: 16k/s, to: 1k/s, steps: 5}
        """);
    assertAt(e, 4, "parameters[0].range.from", "empty range", "16k/s", "1k/s");
    e = error("""
        base: base.yaml
        parameters:
          - path: workload[1].rate
            range:
              from: 1k/s
              to: 2k/s
              steps: 0
        """);
    assertAt(e, 7, "parameters[0].range.steps", "empty range");
    e = error("""
        base: base.yaml
        parameters:
          - path: runtime.gomaxprocs
            values: []
        """);
    assertAt(e, 4, "parameters[0].values", "non-empty");
    e = error("""
        base: base.yaml
        parameters:
          - path: workload[0].steps[2].cgo
            random:
              from: 1ms
              to: 2ms
              count: 0
        """);
    assertAt(e, 7, "parameters[0].random.count", "count must be at least 1");
    e = error("""
        base: base.yaml
        parameters:
          - latin-hypercube:
              count: 0
              parameters: [{path: runtime.gomaxprocs, from: 1, to: 4}]
        """);
    assertAt(e, 4, "parameters[0].latin-hypercube.count", "count must be at least 1");
  }

  @Test
  void aValueThatMakesTheScenarioInvalidPointsAtTheValue() throws Exception {
    ScenarioException e = error("""
        base: base.yaml
        parameters:
          - path: runtime.gomaxprocs
            values:
              - 1
              - 0
        """);
    assertAt(e, 6, "parameters[0].values[1]", "runtime.gomaxprocs = 0", "gomaxprocs must be 1..1024, got 0");
    e = error("""
        base: base.yaml
        parameters:
          - path: semaphores.cgo
            range: {from: 0, to: 4, steps: 3}
        """);
    assertAt(e, 4, "parameters[0].range", "semaphores.cgo = 0", "capacity of at least 1");
    e = error("""
        base: base.yaml
        parameters:
          - path: workload[0].think
            values: [soon]
        """);
    assertAt(e, 4, "parameters[0].values[0]", "workload[0].think = soon");
    e = error("""
        base: base.yaml
        duration: 1s
        warmup: 2s
        """);
    assertAt(e, 3, "warmup", "warmup must be >= 0 and shorter than duration");
  }

  @Test
  void otherMistakesInTheSweepFile() throws Exception {
    assertAt(error("base: base.yaml\nreplica: 3\n"), 2, "replica", "did you mean 'replicas'?");
    assertAt(error("base: base.yaml\nreplicas: 0\n"), 2, "replicas", "at least 1");
    assertAt(error("base: missing.yaml\n"), 1, "base", "not found");
    assertAt(error("base: base.yaml\nscenario: {workload: []}\n"), 2, "scenario", "exactly one of base:");
    assertAt(error("base: base.yaml\nduration: soon\n"), 2, "duration", "not a duration");
    assertAt(error("""
        base: base.yaml
        parameters:
          - path: workload[1].rate
            range: {from: 1k/s, to: 10ms, steps: 2}
        """), 4, "parameters[0].range.to", "from is a rate but to is a duration");
    assertAt(error("""
        base: base.yaml
        parameters:
          - path: runtime.gomaxprocs
            range: {from: 0, to: 8, steps: 3, scale: log}
        """), 4, "parameters[0].range.from", "log scale needs from > 0");
    assertAt(error("""
        base: base.yaml
        parameters:
          - path: runtime.gomaxprocs
            values: [1]
          - path: runtime.gomaxprocs
            values: [2]
        """), 5, "parameters[1].path", "already swept by parameters[0]");
    assertAt(error("""
        base: base.yaml
        parameters:
          - path: runtime.gomaxprocs
            values: [1]
            range: {from: 1, to: 2, steps: 2}
        """), 5, "parameters[0].range", "exactly one of values:, range: and random:");
    assertAt(error("""
        base: base.yaml
        parameters:
          - path: runtime.gomaxprocs
            vals: [1]
        """), 4, "parameters[0].vals", "did you mean 'values'?");
    ScenarioException e = error("""
        base: base.yaml
        parameters:
          - {path: workload[0].count, values: [1]}
        """);
    assertTrue(e.getMessage().startsWith(dir.resolve("sweep.yaml") + ":3:"), e.getMessage());
    assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void summaryFieldsFollowTheSummaryJson() {
    assertTrue(SummaryFields.valid("threads.final"));
    assertTrue(SummaryFields.valid("exitsyscall.fast"));
    assertTrue(SummaryFields.valid("syscallTable.pread64.retaken"));
    assertFalse(SummaryFields.valid("threads.fin"));
    assertFalse(SummaryFields.valid("syscallTable."));
  }

  @Test
  void quantitiesFormatInTheirUnits() {
    Quantity us = Quantity.parse(com.fasterxml.jackson.databind.node.TextNode.valueOf("1us"));
    Quantity ms = Quantity.parse(com.fasterxml.jackson.databind.node.TextNode.valueOf("1ms"));
    assertEquals("1.5ms", Quantity.format(1.5e6, ms, ms));
    assertEquals("1500us", Quantity.format(1.5e6, us, us));
    assertEquals("2.5ms", Quantity.format(2.5e6, us, ms));
    Quantity r = Quantity.parse(com.fasterxml.jackson.databind.node.TextNode.valueOf("500/ms"));
    assertEquals("250/ms", Quantity.format(250_000, r, r));
  }

  // --- the examples ---------------------------------------------------------------------------------

  @Test
  void everyExampleSweepLoadsAndIsSmall() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(EXAMPLES.resolve("sweeps"))) {
      files = s.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    assertTrue(files.size() >= 3, files.toString());
    for (Path f : files) {
      assertTrue(Files.readString(f).startsWith("#"), f + " starts with a comment block");
      SweepPlan p = SweepLoader.load(f);
      assertFalse(p.runs().isEmpty(), f.toString());
      assertEquals(0, p.duplicates(), f.toString());
      // throughput.yaml is the one made to take long: bench --sweep measures runs/min with it.
      long cap = f.getFileName().toString().equals("throughput.yaml") ? 120 : 60;
      assertTrue(p.virtualNs() <= cap * Nanos.S, f + ": " + p.virtualNs() / 1e9 + "s of virtual time");
    }
  }
}
