package dev.gmpsim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gmpsim.model.RunContext;
import dev.gmpsim.protocol.result.RunOptions;
import dev.gmpsim.protocol.result.RunResult;
import dev.gmpsim.protocol.scenario.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run is a pure function of (scenario, seed, model version): the same inputs give the same
 * summary.json bytes and schedtrace text, run alone or beside other runs in one ActorSystem;
 * another seed gives another result.
 */
class DeterminismTest {
  static final long DURATION = 1_000_000_000L;
  static final ObjectMapper JSON = new ObjectMapper();
  static ActorSystem<Void> system;

  @BeforeAll
  static void setUp() {
    system = ActorSystem.create(Behaviors.empty(), "determinism", Simulation.quietConfig());
  }

  @AfterAll
  static void tearDown() {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().join();
  }

  /** What a run writes: summary.json, schedtrace and the time series. */
  record Output(String summaryJson, String schedtrace, String timeseries) {}

  static Scenario example(String file, long seed) {
    return ExampleScenariosTest.example(file).withDuration(DURATION).withSeed(seed);
  }

  static RunOptions options(Scenario s) {
    // schedtrace every 10ms, scheddetail on: every P, M and G at each line.
    return RunOptions.seed(s.seed()).withSchedtrace(10_000_000L, true);
  }

  static Output output(RunResult r) throws Exception {
    return new Output(JSON.writeValueAsString(r.summary()), r.schedtrace(), r.timeseriesCsv());
  }

  static Output runAlone(Scenario s) throws Exception {
    return output(Simulation.run(system, s, options(s)));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"workload-b-file-io.yaml", "workload-e-bursty.yaml"})
  void theSameScenarioAndSeedGiveByteIdenticalOutput(String file) throws Exception {
    Scenario s = example(file, 7);
    Output first = runAlone(s);
    Output second = runAlone(s);
    assertTrue(first.schedtrace().startsWith("SCHED 0ms: gomaxprocs=4"), first.schedtrace());
    assertTrue(first.schedtrace().lines().filter(l -> l.startsWith("SCHED")).count() >= 90);
    assertTrue(first.summaryJson().contains("\"outcome\":\"ok\""), first.summaryJson());
    assertEquals(first.summaryJson(), second.summaryJson());
    assertEquals(first.schedtrace(), second.schedtrace());
    assertEquals(first.timeseries(), second.timeseries());
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {Simulation.DISPATCHER, "akka.actor.default-dispatcher"})
  void threeRunsAtTheSameTimeGiveWhatEachGivesAlone(String dispatcher) throws Exception {
    List<Scenario> scenarios =
        List.of(
            example("workload-e-bursty.yaml", 3),
            example("workload-b-file-io.yaml", 3),
            example("workload-e-bursty.yaml", 3));
    List<CompletableFuture<RunResult>> running = new ArrayList<>();
    for (Scenario s : scenarios) {
      running.add(
          Simulation.start(system, s, options(s), dispatcher, RunContext.ActorWrapper.NONE)
              .toCompletableFuture());
    }
    List<Output> together = new ArrayList<>();
    for (CompletableFuture<RunResult> f : running) {
      together.add(output(f.get(60, TimeUnit.SECONDS)));
    }
    Output aloneE = runAlone(scenarios.get(0));
    Output aloneB = runAlone(scenarios.get(1));
    assertEquals(aloneE, together.get(0));
    assertEquals(aloneB, together.get(1));
    assertEquals(aloneE, together.get(2));
  }

  @Test
  void anotherSeedGivesAnotherResultOnAStochasticWorkload() throws Exception {
    Output one = runAlone(example("workload-e-bursty.yaml", 1));
    Output two = runAlone(example("workload-e-bursty.yaml", 2));
    ObjectNode a = (ObjectNode) JSON.readTree(one.summaryJson());
    ObjectNode b = (ObjectNode) JSON.readTree(two.summaryJson());
    assertEquals(1, a.get("seed").asLong());
    assertEquals(2, b.get("seed").asLong());
    a.remove("seed");
    b.remove("seed");
    assertNotEquals(a, b, "Poisson arrivals and lognormal syscalls depend on the seed");
    assertNotEquals(a.get("events"), b.get("events"));
    assertNotEquals(one.schedtrace(), two.schedtrace());
  }
}
