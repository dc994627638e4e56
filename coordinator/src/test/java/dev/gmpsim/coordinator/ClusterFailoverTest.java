package dev.gmpsim.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gmpsim.sweep.SweepLoader;
import dev.gmpsim.sweep.SweepPlan;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real cluster of three JVM processes on 127.0.0.1: two worker nodes and the sweep process
 * (the coordinator). One worker is killed with SIGKILL mid-sweep. The sweep must still finish,
 * soon after the node is downed, with every run exactly once and every result equal to a
 * one-node run of the same sweep.
 */
class ClusterFailoverTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration DOWN_AFTER = Duration.ofSeconds(2);
  static final String SWEEP = """
      name: failover
      seed: 3
      replicas: 2
      scenario:
        runtime: {gomaxprocs: 2}
        duration: 200ms
        workload:
          - kind: goroutines
            count: 4
            steps:
              - loop: {count: 0, steps: [{compute: 20us}, {syscall: "exp(300us)"}]}
      parameters:
        - path: workload[0].count
          range: {from: 1, to: 50, steps: 50}
        - path: runtime.gomaxprocs
          values: [1, 2]
      metrics: [threads.peak, retakes, exitsyscall.slow, events]
      """;

  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stopAll() {
    processes.forEach(Process::destroyForcibly);
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aWorkerKilledMidSweepLosesNoResult(@TempDir Path tmp) throws Exception {
    Path sweep = tmp.resolve("failover.yaml");
    Files.writeString(sweep, SWEEP);
    SweepPlan plan = SweepLoader.load(sweep);
    assertTrue(plan.runs().size() >= 200, "at least 200 runs: " + plan.runs().size());

    int seedPort = freePort();
    int otherPort = freePort();
    Process seed = start(tmp.resolve("seed.log"), "node", "--port", "" + seedPort, "--parallelism", "1");
    awaitLine(tmp.resolve("seed.log"), "up:", seed);
    Process victim = start(tmp.resolve("victim.log"), "node", "--port", "" + otherPort, "--parallelism", "1",
        "--seed-nodes", "127.0.0.1:" + seedPort);
    awaitLine(tmp.resolve("victim.log"), "up:", victim);
    Path out = tmp.resolve("cluster-out");
    // Two runs in flight per node (the workers queue theirs), so that the victim almost surely
    // has some when it dies; the default --resend-after (60s) so that only the reaction to the
    // node's removal can bring its runs back in time.
    Process submit = start(tmp.resolve("sweep.log"), "sweep", sweep.toString(), "--out", out.toString(),
        "--join", "127.0.0.1:" + seedPort, "--parallelism", "2");

    // Kill the second worker once half of the results are in, with runs still in flight on it.
    Path results = out.resolve("results.jsonl");
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    long firstResultAt = 0;
    while (lines(results) < plan.runs().size() / 2) {
      assertTrue(System.nanoTime() < deadline, "the sweep made no progress: " + Files.readString(tmp.resolve("sweep.log")));
      assertTrue(submit.isAlive(), "the sweep ended early: " + Files.readString(tmp.resolve("sweep.log")));
      if (firstResultAt == 0 && lines(results) > 0) {
        firstResultAt = System.nanoTime();
      }
      Thread.sleep(100);
    }
    long before = lines(results);
    long killedAt = System.nanoTime();
    victim.destroyForcibly(); // SIGKILL
    assertTrue(submit.waitFor(4, TimeUnit.MINUTES), "the sweep finished");
    double afterKill = (System.nanoTime() - killedAt) / 1e9;
    String log = Files.readString(tmp.resolve("sweep.log"));
    assertEquals(0, submit.exitValue(), log);
    assertTrue(before < plan.runs().size(), "the worker died mid-sweep");

    // The victim's runs come back once it is removed, not through the 60s resend: the sweep ends
    // within down-after + 15s (failure detection ~5s, removal, new shard homes) plus twice the
    // time the runs left need at the rate seen before the kill (one node fewer).
    double rate = (before - 1) / Math.max((killedAt - firstResultAt) / 1e9, 0.1);
    double rest = (plan.runs().size() - before) / rate;
    double bound = DOWN_AFTER.toSeconds() + 15 + 2 * rest;
    System.out.printf("failover: %d of %d done at the kill (%.1f runs/s), finished %.1fs after it (bound %.1fs)%n",
        before, plan.runs().size(), rate, afterKill, bound);
    assertTrue(afterKill < bound, String.format("finished %.1fs after the kill, bound %.1fs: %s", afterKill, bound, log));
    String victimAddress = "127.0.0.1:" + otherPort;
    assertTrue(log.contains("node " + victimAddress + " was removed from the cluster (downed); asking again for its"),
        log);
    Map<String, JsonNode> cluster = byId(results);
    assertEquals(plan.runs().size(), lines(results), "each run once");
    assertEquals(plan.runs().size(), cluster.size());
    long onVictim = cluster.values().stream().filter(n -> n.get("node").asText().endsWith(":" + otherPort)).count();
    assertTrue(onVictim > 0, "the killed worker had done some runs");

    // The same sweep on one node, in this JVM: the same results.
    Path single = tmp.resolve("single-out");
    ResultSink sink = ResultSink.open(single, plan.name(), sweep.toString(), plan.runs().size(), List.of(),
        plan.metrics(), false);
    SweepRunner.run(plan.runs(), sink, SweepRunner.Options.embedded(2), p -> {});
    Map<String, JsonNode> alone = byId(single.resolve("results.jsonl"));
    assertEquals(cluster.keySet(), alone.keySet());
    for (String id : alone.keySet()) {
      assertEquals(alone.get(id).get("summary"), cluster.get(id).get("summary"), "run " + id);
      assertEquals("ok", cluster.get(id).get("outcome").asText());
    }
  }

  private Process start(Path log, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.gmpsim.cli.Main");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("GMPSIM_DOWN_AFTER", DOWN_AFTER.toSeconds() + "s");
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  private static void awaitLine(Path log, String text, Process p) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!Files.exists(log) || !Files.readString(log).contains(text)) {
      assertTrue(p.isAlive(), "process died: " + (Files.exists(log) ? Files.readString(log) : ""));
      assertTrue(System.nanoTime() < deadline, "no '" + text + "' in " + log);
      Thread.sleep(100);
    }
  }

  private static long lines(Path f) throws IOException {
    if (!Files.exists(f)) {
      return 0;
    }
    try (var s = Files.lines(f)) {
      return s.filter(l -> !l.isBlank()).count();
    }
  }

  private static Map<String, JsonNode> byId(Path jsonl) throws IOException {
    Map<String, JsonNode> out = new HashMap<>();
    for (String line : Files.readAllLines(jsonl)) {
      if (!line.isBlank()) {
        JsonNode n = JSON.readTree(line);
        out.put(n.get("id").asText(), n);
      }
    }
    return out;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static {
    // Keep File referenced for the classpath separator on exotic platforms.
    assert File.pathSeparator != null;
  }
}
