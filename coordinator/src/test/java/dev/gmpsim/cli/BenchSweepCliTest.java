package dev.gmpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.gmpsim.protocol.sweep.RunRequest;
import dev.gmpsim.sweep.SweepLoader;
import dev.gmpsim.sweep.SweepPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench --sweep: phases never share run ids; a stalled or failing phase is a failure, not a figure. */
class BenchSweepCliTest {
  static final String SLOW = SweepCliTest.SWEEP.replace("duration: 100ms", "duration: 600s")
      .replace("values: [1, 4, 16]", "values: [4]");

  @Test
  void everyPhaseHasItsOwnRunIdsForTheSameRuns(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("small.yaml");
    Files.writeString(file, SweepCliTest.SWEEP);
    SweepPlan plan = SweepLoader.load(file);
    Set<String> ids = new HashSet<>();
    plan.runs().forEach(r -> ids.add(r.runId()));
    for (String phase : List.of("warm-1", "one", "cores", "warm-2", "two")) {
      List<RunRequest> runs = SweepBench.phase(plan.runs(), phase);
      assertEquals(plan.runs().size(), runs.size());
      for (int i = 0; i < runs.size(); i++) {
        assertTrue(ids.add(runs.get(i).runId()), "a new id in " + phase + ": " + runs.get(i).runId());
        assertEquals(plan.runs().get(i).scenario(), runs.get(i).scenario());
        assertEquals(plan.runs().get(i).seed(), runs.get(i).seed());
      }
    }
  }

  @Test
  void aStalledPhaseFailsWithOneLineAndNoFigure(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("slow.yaml");
    Files.writeString(file, SLOW);
    System.setProperty("gmpsim.bench.stall", "1");
    System.setProperty("gmpsim.worker.run-timeout", "4s"); // the runs end themselves soon after
    ConfigFactory.invalidateCaches();
    try {
      CliTest.Result r = CliTest.run("bench", "--sweep", file.toString());
      assertEquals(1, r.code(), r.out() + r.err());
      assertEquals("gmpsim: bench --sweep: the 1-node warm-up: stalled, no result for 1s (0 of 2 runs done); no figure",
          r.err().strip());
      assertFalse(r.out().contains("runs/min"), r.out());
    } finally {
      System.clearProperty("gmpsim.bench.stall");
      System.clearProperty("gmpsim.worker.run-timeout");
      ConfigFactory.invalidateCaches();
    }
  }

  @Test
  void failedRunsGiveNoFigure(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("slow.yaml");
    Files.writeString(file, SLOW);
    System.setProperty("gmpsim.worker.run-timeout", "300ms");
    ConfigFactory.invalidateCaches();
    try {
      CliTest.Result r = CliTest.run("bench", "--sweep", file.toString());
      assertEquals(1, r.code(), r.out() + r.err());
      assertEquals("gmpsim: bench --sweep: the 1-node warm-up: 2 of 2 runs failed; no figure", r.err().strip());
      assertFalse(r.out().contains("runs/min"), r.out());
    } finally {
      System.clearProperty("gmpsim.worker.run-timeout");
      ConfigFactory.invalidateCaches();
    }
  }
}
