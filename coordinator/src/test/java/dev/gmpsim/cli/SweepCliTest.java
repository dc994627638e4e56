package dev.gmpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.gmpsim.coordinator.ResultSink;
import dev.gmpsim.coordinator.SweepRunner;
import dev.gmpsim.sweep.SweepLoader;
import dev.gmpsim.sweep.SweepPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gmpsim sweep on an embedded cluster: results, exactly once, resume, refusals. */
class SweepCliTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String SWEEP = """
      name: small
      replicas: 2
      scenario:
        runtime: {gomaxprocs: 2}
        duration: 100ms
        workload:
          - kind: goroutines
            count: 4
            steps: [{loop: {count: 0, steps: [{syscall: "exp(200us)"}]}}]
      parameters:
        - path: workload[0].count
          values: [1, 4, 16]
      metrics: [threads.peak, retakes]
      """;

  @Test
  void aSweepWritesEveryRunOnceAndResumeSkipsWhatIsThere(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("small.yaml");
    Files.writeString(file, SWEEP);
    Path out = tmp.resolve("out");
    CliTest.Result r = CliTest.run("sweep", file.toString(), "--out", out.toString(), "--parallelism", "2");
    assertEquals(0, r.code(), r.err() + r.out());
    List<String> lines = Files.readAllLines(out.resolve("results.jsonl"));
    assertEquals(6, lines.size());
    Set<String> ids = new HashSet<>();
    for (String l : lines) {
      JsonNode n = JSON.readTree(l);
      assertTrue(ids.add(n.get("id").asText()), "each id once");
      assertEquals("ok", n.get("outcome").asText());
      assertTrue(n.at("/metrics/threads.peak").isNumber(), l);
    }
    List<String> csv = Files.readAllLines(out.resolve("results.csv"));
    assertEquals("id,workload[0].count,seed,threads.peak,retakes,outcome,node,wall_ms,attempt", csv.get(0));
    assertEquals(7, csv.size());
    JsonNode manifest = JSON.readTree(out.resolve("sweep.json").toFile());
    assertEquals("complete", manifest.get("status").asText());
    assertEquals(6, manifest.get("results").asInt());

    // A second sweep into the same folder is refused, and nothing changes.
    byte[] before = Files.readAllBytes(out.resolve("results.jsonl"));
    r = CliTest.run("sweep", file.toString(), "--out", out.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("already holds a sweep; use --resume"), r.err());
    assertEquals(new String(before), Files.readString(out.resolve("results.jsonl")));

    // Resume after losing two results (and a half-written line): only those run again.
    List<String> kept = lines.subList(0, 4);
    Files.writeString(out.resolve("results.jsonl"), String.join("\n", kept) + "\n{\"id\": \"cut sho");
    r = CliTest.run("sweep", file.toString(), "--out", out.toString(), "--resume", "--parallelism", "2");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("4 already done"), r.out());
    List<String> after = Files.readAllLines(out.resolve("results.jsonl"));
    assertEquals(6, after.size());
    Set<String> ids2 = new HashSet<>();
    after.forEach(l -> {
      try {
        ids2.add(JSON.readTree(l).get("id").asText());
      } catch (Exception e) {
        throw new AssertionError(l, e);
      }
    });
    assertEquals(ids, ids2);
  }

  @Test
  void badSweepsUnreachableClustersAndResumingNothingAreOneLineErrors(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("small.yaml");
    Files.writeString(file, SWEEP.replace("workload[0].count", "workload[0].cuont"));
    CliTest.Result r = CliTest.run("sweep", file.toString(), "--out", tmp.resolve("a").toString());
    assertEquals(2, r.code());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("small.yaml:") && r.err().contains("cuont"), r.err());
    assertFalse(Files.exists(tmp.resolve("a")), "nothing written");

    Files.writeString(file, SWEEP);
    r = CliTest.run("sweep", file.toString(), "--out", tmp.resolve("b").toString(), "--resume");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("holds no sweep to resume"), r.err());

    r = CliTest.run("sweep", file.toString(), "--out", tmp.resolve("c").toString(), "--join", "127.0.0.1:1");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("cannot reach the cluster at 127.0.0.1:1"), r.err());
  }

  @Test
  void aRunThatTimesOutIsRetriedThenRecordedAndTheSweepGoesOn(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("slow.yaml");
    Files.writeString(file, SWEEP.replace("duration: 100ms", "duration: 600s"));
    SweepPlan plan = SweepLoader.load(file);
    System.setProperty("gmpsim.worker.run-timeout", "300ms");
    ConfigFactory.invalidateCaches();
    try {
      ResultSink sink = ResultSink.open(tmp.resolve("out"), plan.name(), file.toString(), 2, List.of(),
          plan.metrics(), false);
      var finished = SweepRunner.run(plan.runs().subList(0, 2), sink, SweepRunner.Options.embedded(2), p -> {});
      assertEquals(2, finished.failed());
      for (String l : Files.readAllLines(tmp.resolve("out/results.jsonl"))) {
        JsonNode n = JSON.readTree(l);
        assertEquals("timeout", n.get("outcome").asText());
        assertEquals(3, n.get("attempt").asInt(), "tried three times");
      }
    } finally {
      System.clearProperty("gmpsim.worker.run-timeout");
      ConfigFactory.invalidateCaches();
    }
  }
}
