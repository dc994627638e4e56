package dev.gmpsim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import dev.gmpsim.protocol.result.RunOptions;
import dev.gmpsim.protocol.result.RunResult;
import dev.gmpsim.protocol.result.RunSummary;
import dev.gmpsim.protocol.scenario.Scenario;
import dev.gmpsim.protocol.scenario.ScenarioLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** examples/language/worker-pool.yaml: channels, a WaitGroup and a stop flag end to end. */
class WorkerPoolExampleTest {
  static ActorSystem<Void> system;

  @BeforeAll
  static void setUp() {
    system = ActorSystem.create(Behaviors.empty(), "pool", Simulation.quietConfig());
  }

  @AfterAll
  static void tearDown() {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().join();
  }

  @Test
  void theWorkersServeEveryJobAndExitWhenTheChannelCloses() throws Exception {
    Scenario s = ScenarioLoader.load(ExampleScenariosTest.examples().resolve("language/worker-pool.yaml"));
    RunResult a = Simulation.run(system, s, RunOptions.seed(s.seed()));
    RunSummary r = a.summary();
    assertEquals("ok", r.outcome());
    // One read per job, one request per job: every job sent was received and served.
    assertEquals(r.syscalls(), r.requestLatencyNs().count());
    assertTrue(r.syscalls() > 2_000, "jobs every ~200us for 1s: " + r.syscalls());
    // The producer waited for all 8 workers; after close every worker saw the flag and returned.
    assertEquals(5, r.goroutines().fin(), "main and the runtime's 4 are left");
    assertTrue(r.requestLatencyNs().p50() >= 2_000_000, "a job is at least its 2ms read");
    RunResult b = Simulation.run(system, s, RunOptions.seed(s.seed()));
    assertEquals(a, b, "same seed, same run");
  }
}
