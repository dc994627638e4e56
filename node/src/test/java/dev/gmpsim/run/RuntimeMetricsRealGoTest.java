package dev.gmpsim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import dev.gmpsim.protocol.result.RunOptions;
import dev.gmpsim.protocol.result.RunSummary;
import dev.gmpsim.protocol.scenario.Scenario;
import dev.gmpsim.protocol.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * summary.json's runtimeMetrics against what calibration/programs/metrics read from
 * runtime/metrics under real Go 1.19.8 and 1.26.10 (calibration/MEASUREMENTS.md): 10 goroutines
 * blocked on a channel, 3 sleeping, after 200ms.
 */
class RuntimeMetricsRealGoTest {
  static ActorSystem<Void> system;

  @BeforeAll
  static void setUp() {
    system = ActorSystem.create(Behaviors.empty(), "metrics", Simulation.quietConfig());
  }

  @AfterAll
  static void tearDown() {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().join();
  }

  static Map<String, RunSummary.RuntimeMetric> metrics(String go) throws Exception {
    Path p = ExampleScenariosTest.examples().resolveSibling("calibration").resolve("scenarios/metrics-idle.yaml");
    Scenario s = ScenarioLoader.parse("metrics-idle.yaml",
        Files.readString(p).replace("go-version: \"1.19\"", "go-version: \"" + go + "\""));
    return Simulation.run(system, s, RunOptions.seed(1)).summary().runtimeMetrics();
  }

  static long value(Map<String, RunSummary.RuntimeMetric> m, String name) {
    return m.get(name).value();
  }

  @Test
  void go119CountsGoroutinesWithoutTheSystemOnes() throws Exception {
    var m = metrics("1.19");
    assertEquals(2, value(m, "/sched/gomaxprocs:threads"));
    assertEquals(14, value(m, "/sched/goroutines:goroutines"), "real Go 1.19.8 printed 14");
    assertNull(m.get("/sched/threads/total:threads"), "added in Go 1.26");
    assertEquals("1.17", m.get("/sched/latencies:seconds").since());
  }

  @Test
  void go126CountsThemAndSplitsThemByState() throws Exception {
    var m = metrics("1.26");
    // Real Go 1.26.10 printed: goroutines 18, created 18, not-in-go 0, runnable 0, running 2
    // (main reading the metrics and one more P), waiting 16, threads/total 4.
    assertEquals(18, value(m, "/sched/goroutines:goroutines"));
    assertEquals(18, value(m, "/sched/goroutines-created:goroutines"));
    assertEquals(0, value(m, "/sched/goroutines/not-in-go:goroutines"));
    assertEquals(0, value(m, "/sched/goroutines/runnable:goroutines"));
    assertEquals(4, value(m, "/sched/threads/total:threads"));
    long states = value(m, "/sched/goroutines/running:goroutines") + value(m, "/sched/goroutines/waiting:goroutines");
    assertEquals(18, states, "running + waiting + runnable + not-in-go = all, as in the runtime");
  }
}
