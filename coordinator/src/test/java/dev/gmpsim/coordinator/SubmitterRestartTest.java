package dev.gmpsim.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gmpsim.sweep.SweepLoader;
import dev.gmpsim.sweep.SweepPlan;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep Job's pod dying, on one machine: a `gmpsim node` JVM and a `gmpsim sweep --join`
 * submitter JVM. The submitter gets SIGKILL mid-sweep; the node notices it is gone and drops the
 * runs it still had for it; a new submitter with --resume on the same folder finishes the sweep
 * with every run exactly once, each result as a one-node run gives it.
 */
class SubmitterRestartTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String SWEEP = """
      name: submitter-restart
      seed: 5
      replicas: 2
      scenario:
        runtime: {gomaxprocs: 2}
        duration: 40ms
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
  private static final Pattern DROPPED =
      Pattern.compile("dropped (\\d+) queued runs and stopped (\\d+) running of a submitter that is gone \\((\\S+)\\)");
  private final NodeProcesses processes = new NodeProcesses();

  @AfterEach
  void stop() {
    processes.close();
  }

  /** Runs of an hour each: nobody sees them finish. */
  static final String ENDLESS = """
      name: nobody-waits
      seed: 1
      replicas: 8
      scenario:
        runtime: {gomaxprocs: 2}
        duration: 1h
        workload:
          - kind: goroutines
            count: 4
            steps:
              - loop: {count: 0, steps: [{compute: 20us}, {syscall: "exp(300us)"}]}
      metrics: [threads.peak]
      """;

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void aSubmitterKilledMidSweepIsNoticedByTheWorkerAndAResumeFinishesWithEveryRunOnce(@TempDir Path tmp)
      throws Exception {
    Path file = tmp.resolve("sweep.yaml");
    Files.writeString(file, SWEEP);
    SweepPlan plan = SweepLoader.load(file);
    int total = plan.runs().size();
    assertEquals(200, total);
    // Node and submitter are two members: when the submitter dies, the split-brain resolver
    // (keep-majority, a tie) keeps the side with the lowest address, so the node gets the lowest
    // port here. (With two nodes or more the nodes are the majority anyway.)
    int[] ports = new int[5];
    for (int i = 0; i < ports.length; i++) {
      ports[i] = NodeProcesses.freePort();
    }
    java.util.Arrays.sort(ports);
    int management = ports[4];
    Path nodeLog = tmp.resolve("node.log");
    Process node = start(nodeLog, "node", "--port", "" + ports[0], "--parallelism", "1",
        "--management-port", "" + management);
    awaitText(nodeLog, " up: worker", node, Duration.ofSeconds(90));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    // 1. A submitter whose runs take an hour dies: the node drops those it queued and stops the
    // one it runs, instead of simulating for nobody.
    Path endless = tmp.resolve("endless.yaml");
    Files.writeString(endless, ENDLESS);
    Path endlessOut = tmp.resolve("endless-out");
    Path endlessLog = tmp.resolve("endless.log");
    Process doomed = start(endlessLog, "sweep", endless.toString(), "--out", endlessOut.toString(),
        "--join", "127.0.0.1:" + ports[0], "--port", "" + ports[1], "--parallelism", "2", "--resend-after", "2s");
    // The node has taken runs (it acknowledged them) and has not finished them.
    awaitText(endlessLog, "from 127.0.0.1:" + ports[0] + "; asking again", doomed, Duration.ofMinutes(2));
    doomed.destroyForcibly(); // SIGKILL, as when the Job's pod is killed
    assertTrue(doomed.waitFor(30, TimeUnit.SECONDS));
    String line = awaitText(nodeLog, "of a submitter that is gone", node, Duration.ofSeconds(90));
    Matcher m = DROPPED.matcher(line);
    assertTrue(m.find(), line);
    assertTrue(Integer.parseInt(m.group(1)) + Integer.parseInt(m.group(2)) > 0, "it had runs for it: " + line);
    assertTrue(m.group(3).endsWith("127.0.0.1:" + ports[1]), line);
    assertTrue(node.isAlive(), "the node stays up: " + Files.readString(nodeLog));
    awaitUpMembers(http, management, 1, node, nodeLog);

    // 2. The Job's pod dies mid-sweep and its successor resumes: every run once.
    Path out = tmp.resolve("out");
    Path jsonl = out.resolve("results.jsonl");
    Path firstLog = tmp.resolve("sweep-1.log");
    Process first = start(firstLog, "sweep", file.toString(), "--out", out.toString(),
        "--join", "127.0.0.1:" + ports[0], "--port", "" + ports[2], "--parallelism", "2");
    awaitLines(jsonl, 20, first, firstLog);
    first.destroyForcibly();
    assertTrue(first.waitFor(30, TimeUnit.SECONDS));
    long before = lines(jsonl);
    assertTrue(before < total, "killed mid-sweep: " + before + " of " + total);
    // Its node is downed and removed before the next submitter joins (as a new pod would, later).
    awaitUpMembers(http, management, 1, node, nodeLog);

    Path secondLog = tmp.resolve("sweep-2.log");
    Process second = start(secondLog, "sweep", file.toString(), "--out", out.toString(), "--resume",
        "--join", "127.0.0.1:" + ports[0], "--port", "" + ports[3], "--parallelism", "2");
    assertTrue(second.waitFor(4, TimeUnit.MINUTES), "the resumed sweep finished: " + Files.readString(secondLog));
    assertEquals(0, second.exitValue(), Files.readString(secondLog));
    System.out.printf("submitter restart: %d of %d results before the kill; %s%n", before, total, line.trim());

    // Every id once, in both files.
    List<String> ids = new ArrayList<>();
    Map<String, JsonNode> cluster = new LinkedHashMap<>();
    for (String l : Files.readAllLines(jsonl)) {
      if (!l.isBlank()) {
        JsonNode n = JSON.readTree(l);
        ids.add(n.get("id").asText());
        cluster.put(n.get("id").asText(), n);
      }
    }
    assertEquals(total, ids.size(), "results.jsonl: one line per run");
    assertEquals(total, cluster.size(), "results.jsonl: every id once");
    List<String> csv = Files.readAllLines(out.resolve("results.csv"));
    assertTrue(csv.get(0).startsWith("id,"), csv.get(0));
    Set<String> csvIds = new HashSet<>();
    for (String row : csv.subList(1, csv.size())) {
      csvIds.add(row.substring(0, row.indexOf(',')));
    }
    assertEquals(total, csv.size() - 1, "results.csv: one row per run");
    assertEquals(cluster.keySet(), csvIds, "results.csv: every id once");

    // The same sweep on one node, in this JVM: the same results.
    Map<String, JsonNode> alone = singleNode(plan, file, tmp.resolve("single"));
    assertEquals(alone.keySet(), cluster.keySet());
    for (String id : alone.keySet()) {
      assertEquals("ok", cluster.get(id).get("outcome").asText(), id);
      assertEquals(alone.get(id).get("summary"), cluster.get(id).get("summary"), "run " + id);
    }
  }

  private static void awaitLines(Path jsonl, int n, Process p, Path log) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (lines(jsonl) < n) {
      assertTrue(p.isAlive(), "the sweep ended early: " + Files.readString(log));
      assertTrue(System.nanoTime() < deadline, "no progress: " + Files.readString(log));
      Thread.sleep(50);
    }
  }

  private static void awaitUpMembers(HttpClient http, int port, int n, Process node, Path log) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (NodeProcesses.upMembers(http, port) != n) {
      assertTrue(node.isAlive(), "the node died: " + Files.readString(log));
      assertTrue(System.nanoTime() < deadline, n + " members Up: " + Files.readString(log));
      Thread.sleep(200);
    }
  }

  /** One-node results by the sweep's run ids: the tests that compare with them share one run per JVM. */
  private static final Map<String, Map<String, JsonNode>> SINGLE = new java.util.concurrent.ConcurrentHashMap<>();

  /** The sweep on an embedded one-node cluster: its results by id. */
  static synchronized Map<String, JsonNode> singleNode(SweepPlan plan, Path file, Path dir) throws Exception {
    Map<String, JsonNode> known = SINGLE.get(key(plan));
    if (known != null) {
      return known;
    }
    ResultSink sink = ResultSink.open(dir, plan.name(), file.toString(), plan.runs().size(), List.of(),
        plan.metrics(), false);
    SweepRunner.run(plan.runs(), sink, SweepRunner.Options.embedded(2), p -> {});
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (String l : Files.readAllLines(dir.resolve("results.jsonl"))) {
      if (!l.isBlank()) {
        JsonNode n = JSON.readTree(l);
        out.put(n.get("id").asText(), n);
      }
    }
    SINGLE.put(key(plan), out);
    return out;
  }

  private static String key(SweepPlan plan) {
    return plan.runs().stream().map(r -> r.runId()).collect(java.util.stream.Collectors.joining(","));
  }

  private Process start(Path log, String... args) throws IOException {
    return processes.start(log, List.of("-Xmx384m"), Map.of("GMPSIM_DOWN_AFTER", "2s"), args);
  }

  /** Waits for {@code text} in {@code log} while {@code p} runs; the first line holding it. */
  static String awaitText(Path log, String text, Process p, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      if (Files.exists(log)) {
        for (String l : Files.readAllLines(log)) {
          if (l.contains(text)) {
            return l;
          }
        }
      }
      assertTrue(p.isAlive(), "process died: " + (Files.exists(log) ? Files.readString(log) : ""));
      assertTrue(System.nanoTime() < deadline, "no '" + text + "' in " + log + ": "
          + (Files.exists(log) ? Files.readString(log) : ""));
      Thread.sleep(100);
    }
  }

  static long lines(Path f) throws IOException {
    if (!Files.exists(f)) {
      return 0;
    }
    try (var s = Files.lines(f)) {
      return s.filter(l -> !l.isBlank()).count();
    }
  }
}
