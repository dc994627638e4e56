package dev.gmpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.gmpsim.coordinator.ResultSink;
import dev.gmpsim.coordinator.SweepCoordinator;
import dev.gmpsim.coordinator.SweepRunner;
import dev.gmpsim.sweep.SweepLoader;
import dev.gmpsim.sweep.SweepPlan;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
    assertFalse(Files.exists(tmp.resolve("c")), "nothing written");

    // A results.csv of something else is not overwritten, and not emptied by a resume.
    Path d = tmp.resolve("d");
    Files.createDirectories(d);
    Files.writeString(d.resolve("results.csv"), "mine\n");
    r = CliTest.run("sweep", file.toString(), "--out", d.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("already holds a sweep"), r.err());
    r = CliTest.run("sweep", file.toString(), "--out", d.toString(), "--resume");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("holds results.csv but no results.jsonl"), r.err());
    assertEquals("mine\n", Files.readString(d.resolve("results.csv")));
  }

  @Test
  void aFailedStartWritesNothingAndIsOneLine(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("small.yaml");
    Files.writeString(file, SWEEP);
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort(); // nothing listens there once closed
    }
    String[][] cases = {
      {"--parallelism", "0"},
      {"--parallelism", "-1"},
      {"--join", "127.0.0.1:" + closed},
      {"--join", "127.0.0.1:99999"},
      {"--join", "127.0.0.1:0"},
      {"--join", "no-such-host.invalid:25520"},
      {"--join", ":25520"},
      {"--port", "99999"},
      {"--retries", "0"},
      {"--resend-after", "0s"},
      {"--keep-failed"},
    };
    for (String[] c : cases) {
      Path out = tmp.resolve("out");
      List<String> args = new ArrayList<>(List.of("sweep", file.toString(), "--out", out.toString()));
      args.addAll(List.of(c));
      CliTest.Result r = CliTest.run(args.toArray(String[]::new));
      String what = String.join(" ", c) + ": " + r.err();
      assertEquals(2, r.code(), what);
      assertEquals(1, r.err().strip().lines().count(), what);
      assertTrue(r.err().startsWith("gmpsim: "), what);
      assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), what);
      assertFalse(Files.exists(out), "nothing written: " + what);
    }
    // A port in use for this process's node.
    try (ServerSocket busy = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      CliTest.Result r = CliTest.run("sweep", file.toString(), "--out", tmp.resolve("busy").toString(),
          "--port", Integer.toString(busy.getLocalPort()));
      assertEquals(2, r.code(), r.err());
      assertEquals(1, r.err().strip().lines().count(), r.err());
      assertTrue(r.err().contains("--port " + busy.getLocalPort() + ": cannot listen there"), r.err());
      assertFalse(Files.exists(tmp.resolve("busy")));
    }
    CliTest.Result r = CliTest.run("sweep", file.toString(), "--out", "");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("--out: the folder name is empty"), r.err());
    try (var files = Files.list(tmp)) {
      assertEquals(List.of(file), files.toList(), "nothing written");
    }
    // Under a file: refused before anything starts.
    r = CliTest.run("sweep", file.toString(), "--out", file.resolve("sub").toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("is a file"), r.err());
  }

  @Test
  void resumeRefusesAnotherSweepsFolderRetriesFailedRunsAndRepairsATornCsv(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("small.yaml");
    Files.writeString(file, SWEEP);
    Path out = tmp.resolve("out");
    CliTest.Result r = CliTest.run("sweep", file.toString(), "--out", out.toString(), "--parallelism", "2");
    assertEquals(0, r.code(), r.err() + r.out());
    JsonNode manifest = JSON.readTree(out.resolve("sweep.json").toFile());
    assertTrue(manifest.get("planHash").asText().matches("[0-9a-f]{64}"), manifest.toString());
    Path jl = out.resolve("results.jsonl");
    Path cs = out.resolve("results.csv");
    List<String> lines = Files.readAllLines(jl);
    List<String> csv = Files.readAllLines(cs);

    // Another sweep (other values) into this folder: refused, nothing changed.
    Path other = tmp.resolve("other.yaml");
    Files.writeString(other, SWEEP.replace("values: [1, 4, 16]", "values: [2, 3]"));
    r = CliTest.run("sweep", other.toString(), "--out", out.toString(), "--resume");
    assertEquals(2, r.code(), r.err() + r.out());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains(out + " holds another sweep (small from " + file + ", 6 runs): its runs differ"), r.err());
    assertEquals(lines, Files.readAllLines(jl));
    assertEquals(csv, Files.readAllLines(cs));
    // The same runs with other metrics would give the CSV two layouts: refused too.
    Path metrics = tmp.resolve("metrics.yaml");
    Files.writeString(metrics, SWEEP.replace("metrics: [threads.peak, retakes]", "metrics: [handoffs]"));
    r = CliTest.run("sweep", metrics.toString(), "--out", out.toString(), "--resume");
    assertEquals(2, r.code(), r.err() + r.out());
    assertTrue(r.err().contains("its metrics [threads.peak, retakes] differ from this sweep's [handoffs]"), r.err());
    // Without a hash to compare (no sweep.json): the ids in results.jsonl are checked.
    byte[] m = Files.readAllBytes(out.resolve("sweep.json"));
    Files.delete(out.resolve("sweep.json"));
    r = CliTest.run("sweep", other.toString(), "--out", out.toString(), "--resume");
    assertEquals(2, r.code(), r.err() + r.out());
    assertTrue(r.err().contains("results.jsonl holds runs of another sweep"), r.err());
    Files.write(out.resolve("sweep.json"), m);

    // Failed runs are kept with --keep-failed, and run again by a plain --resume.
    List<String> failed = new ArrayList<>(lines);
    failed.set(0, lines.get(0).replace("\"outcome\":\"ok\"", "\"outcome\":\"timeout\""));
    failed.set(1, lines.get(1).replace("\"outcome\":\"ok\"", "\"outcome\":\"error: boom\""));
    Files.writeString(jl, String.join("\n", failed) + "\n");
    r = CliTest.run("sweep", file.toString(), "--out", out.toString(), "--resume", "--keep-failed");
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(r.out().contains("(6 already done)"), r.out());
    assertEquals(failed, Files.readAllLines(jl));
    r = CliTest.run("sweep", file.toString(), "--out", out.toString(), "--resume", "--parallelism", "2");
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(r.out().contains("(4 already done, 2 failed, to run again)"), r.out());
    assertTrue(r.out().contains("done: 2 runs"), r.out());
    List<String> after = Files.readAllLines(jl);
    assertEquals(6, after.size());
    for (String l : after) {
      assertEquals("ok", JSON.readTree(l).get("outcome").asText(), l);
    }
    assertEquals(lines.subList(2, 6), after.subList(0, 4), "kept lines as they were");

    // SIGKILL while writing: the last JSON line made it but its CSV row is torn, and the CSV
    // misses the row before it. Resume rebuilds the CSV from the JSON lines.
    csv = Files.readAllLines(cs);
    String torn = String.join("\n", csv.subList(0, 5)) + "\n" + csv.get(6).substring(0, 20);
    Files.writeString(cs, torn);
    r = CliTest.run("sweep", file.toString(), "--out", out.toString(), "--resume");
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(r.out().contains("(6 already done)"), r.out());
    assertEquals(csv, Files.readAllLines(cs), "the CSV rebuilt as it was");
    // And a torn JSON line with a torn CSV row: both dropped, the run done again once.
    Files.writeString(jl, String.join("\n", after.subList(0, 5)) + "\n" + after.get(5).substring(0, 30));
    Files.writeString(cs, String.join("\n", csv.subList(0, 6)) + "\n" + csv.get(6).substring(0, 20));
    r = CliTest.run("sweep", file.toString(), "--out", out.toString(), "--resume", "--parallelism", "2");
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(r.out().contains("(5 already done)"), r.out());
    List<String> rows = Files.readAllLines(cs);
    assertEquals(7, rows.size());
    int fields = rows.get(0).split(",", -1).length;
    for (String row : rows) {
      assertEquals(fields, row.split(",", -1).length, row);
    }
    assertEquals(csv.subList(0, 6), rows.subList(0, 6));
    assertEquals(6, Files.readAllLines(jl).size());
    try (var files = Files.list(out)) {
      assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary files left");
    }
  }

  @Test
  void defaultMetricsDoNotRepeatTheRowsOwnColumns(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("all.yaml");
    Files.writeString(file, SWEEP.replace("metrics: [threads.peak, retakes]\n", ""));
    SweepPlan plan = SweepLoader.load(file);
    ResultSink sink = ResultSink.open(tmp.resolve("out"), plan.name(), file.toString(), 6, List.of("workload[0].count"),
        plan.metrics(), false);
    sink.finish();
    String header = Files.readAllLines(tmp.resolve("out/results.csv")).get(0);
    List<String> columns = List.of(header.split(","));
    assertEquals(new HashSet<>(columns).size(), columns.size(), header);
    assertTrue(columns.contains("threads.peak") && columns.contains("seed") && columns.contains("outcome"), header);
    assertFalse(JSON.readTree(tmp.resolve("out/sweep.json").toFile()).get("metrics").toString().contains("\"seed\""));
  }

  @Test
  void anInterruptedSweepSaysHowFarItGotAndResumes(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("slow.yaml");
    Files.writeString(file, SWEEP.replace("duration: 100ms", "duration: 20s"));
    Path out = tmp.resolve("out");
    Path log = tmp.resolve("sweep.log");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xss4m",
        "-cp", System.getProperty("java.class.path"), "dev.gmpsim.cli.Main",
        "sweep", file.toString(), "--out", out.toString(), "--parallelism", "1")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      Path jl = out.resolve("results.jsonl");
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (!Files.exists(jl) || Files.readAllLines(jl).isEmpty()) {
        assertTrue(p.isAlive() && System.nanoTime() < deadline, Files.readString(log));
        Thread.sleep(50);
      }
      interrupt(p);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), Files.readString(log));
      String text = Files.readString(log);
      int n = Files.readAllLines(jl).size();
      assertTrue(n < 6, text);
      assertTrue(text.contains("gmpsim: interrupted after " + n + " of 6 runs; continue with --resume"), text);
      JsonNode manifest = JSON.readTree(out.resolve("sweep.json").toFile());
      assertEquals("interrupted", manifest.get("status").asText(), manifest.toString());
      assertEquals(n, manifest.get("results").asInt(), manifest.toString());
      assertEquals(n + 1, Files.readAllLines(out.resolve("results.csv")).size());

      CliTest.Result r = CliTest.run("sweep", file.toString(), "--out", out.toString(), "--resume", "--parallelism", "2");
      assertEquals(0, r.code(), r.err() + r.out());
      assertTrue(r.out().contains("(" + n + " already done)"), r.out());
      manifest = JSON.readTree(out.resolve("sweep.json").toFile());
      assertEquals("complete", manifest.get("status").asText());
      assertEquals(6, manifest.get("results").asInt());
    } finally {
      p.destroyForcibly();
    }
  }

  /** SIGINT, as Ctrl-C sends; SIGTERM where the child was started with SIGINT ignored (a background job). */
  private static void interrupt(Process p) throws Exception {
    Path status = Path.of("/proc/" + p.pid() + "/status");
    boolean intIgnored = false;
    if (Files.exists(status)) {
      for (String l : Files.readAllLines(status)) {
        if (l.startsWith("SigIgn:")) {
          intIgnored = (Long.parseLong(l.substring(7).strip(), 16) & 2) != 0;
        }
      }
    }
    if (intIgnored) {
      p.destroy();
    } else {
      assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor());
    }
  }

  @Test
  void helpKeepsFileNamesWhole() {
    CliTest.Result r = CliTest.run("sweep", "--help");
    assertEquals(0, r.code());
    for (String name : List.of("sweep.json", "results.jsonl", "results.csv")) {
      assertTrue(r.out().contains(name), r.out());
    }
  }

  @Test
  void progressShowsRatesWithALeadingZeroAndTheLastLineOnce() {
    long[] now = {0};
    StringWriter w = new StringWriter();
    SweepCommand.Progress bar = new SweepCommand.Progress(new PrintWriter(w), 6, 0, true, () -> now[0]);
    for (int i = 1; i <= 6; i++) {
      now[0] += 1_666_000_000L;
      bar.update(new SweepCoordinator.Progress(i, 6, 0, "n"));
      bar.update(new SweepCoordinator.Progress(i, 6, 0, "n")); // a repeated event
    }
    bar.close();
    bar.close();
    String s = w.toString();
    assertTrue(s.contains(" 0.6 runs/s"), s);
    assertFalse(s.matches("(?s).*[^0-9]\\.[0-9] runs/s.*"), s);
    assertEquals(1, s.split("6/6 runs", -1).length - 1, "the final line once: " + s);
    assertTrue(s.endsWith("\n") && !s.endsWith("\n\n"), s);
    assertEquals("0.6 runs/s", SweepCommand.Progress.rate(0.6));
    assertEquals("1.5 runs/min", SweepCommand.Progress.rate(0.025));
    assertEquals("25 runs/s", SweepCommand.Progress.rate(25));

    w = new StringWriter();
    bar = new SweepCommand.Progress(new PrintWriter(w), 2, 0, false, () -> now[0]);
    bar.update(new SweepCoordinator.Progress(1, 2, 0, "n"));
    bar.update(new SweepCoordinator.Progress(2, 2, 0, "n"));
    bar.close();
    assertEquals(List.of("1/2 runs, 0 failed", "2/2 runs, 0 failed"), w.toString().lines().toList());
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
