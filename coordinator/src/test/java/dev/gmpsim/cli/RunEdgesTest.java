package dev.gmpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gmpsim run at its edges: runaway scenarios, unusable folders, warm-up windows, many seeds. */
class RunEdgesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String RUNAWAY =
      "name: runaway\nduration: 10s\nworkload:\n  - name: main\n    kind: goroutines\n    count: 1\n"
          + "    steps:\n      - loop:\n          count: 0\n          steps:\n            - spawn: [block]\n";

  static CliTest.Result run(String... args) {
    return CliTest.run(args);
  }

  static String example(String name) {
    return CliTest.EXAMPLES.resolve(name).toString();
  }

  @Test
  void goroutinesWithoutEndStopAtTheLimitWithACleanSummary(@TempDir Path tmp) throws IOException {
    Path file = Files.writeString(tmp.resolve("runaway.yaml"), RUNAWAY);
    Path out = tmp.resolve("out");
    CliTest.Result r = run("run", file.toString(), "--max-goroutines", "20000", "--out", out.toString());
    assertEquals(RunCommand.LIMIT, r.code(), r.err());
    assertTrue(r.out().contains("outcome          limit: 20,000 goroutines"), r.out());
    JsonNode s = JSON.readTree(out.resolve("summary.json").toFile());
    assertEquals("limit: 20,000 goroutines", s.get("outcome").asText());
    assertTrue(s.get("virtualTimeNs").asLong() < 10_000_000_000L, "ended early, at the limit");
    assertEquals(20_000, s.at("/settings/maxGoroutines").asLong());
  }

  @Test
  void pendingEventsHaveALimitToo() {
    CliTest.Result r = run("run", example("workload-a-network.yaml"), "--max-events", "3000", "--json");
    assertEquals(RunCommand.LIMIT, r.code(), r.err());
    assertTrue(r.out().contains("\"outcome\" : \"limit: 3,000 pending events\""), r.out());
  }

  @Test
  void badLimitsAndTimeoutsAreRejected() {
    for (String[] args : new String[][] {
        {"--max-goroutines", "0"}, {"--max-events", "-1"}, {"--timeout", "0s"}, {"--seeds", "0"},
        {"--parallelism", "2"}, {"--seeds", "2", "--parallelism", "0"}}) {
      List<String> a = new ArrayList<>(List.of("run", example("workload-a-network.yaml")));
      a.addAll(List.of(args));
      CliTest.Result r = run(a.toArray(String[]::new));
      assertEquals(ExitCodes.USAGE, r.code(), String.join(" ", args));
      assertEquals(1, r.err().strip().lines().count(), r.err());
      assertEquals("", r.out(), "nothing ran");
    }
  }

  /** A child JVM as ./gmpsim starts it: out of memory ends it at once with one line. */
  @Test
  void outOfMemoryEndsTheProcessPromptlyWithOneLine(@TempDir Path tmp) throws Exception {
    String script = Files.readString(CliTest.EXAMPLES.resolveSibling("gmpsim"));
    assertTrue(script.contains("-XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr"), "./gmpsim passes the flags");
    String cluster = Files.readString(CliTest.EXAMPLES.resolveSibling("deploy").resolve("local-cluster.sh"));
    assertTrue(cluster.contains("-XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr"), "so do its nodes");
    Path file = Files.writeString(tmp.resolve("runaway.yaml"), RUNAWAY);
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx48m", "-XX:+ExitOnOutOfMemoryError", "-XX:+DisplayVMOutputToStderr", "-cp", System.getProperty("java.class.path"),
        "dev.gmpsim.cli.Main", "run", file.toString(), "--max-goroutines", "1000000000",
        "--out", tmp.resolve("out").toString());
    Path err = tmp.resolve("err.txt");
    Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).redirectOutput(tmp.resolve("o.txt").toFile()).start();
    boolean ended = p.waitFor(120, TimeUnit.SECONDS);
    if (!ended) {
      p.destroyForcibly();
    }
    assertTrue(ended, "the JVM must not hang after OutOfMemoryError");
    assertEquals(3, p.exitValue());
    List<String> lines = Files.readAllLines(err).stream().filter(l -> !l.isBlank()).toList();
    assertEquals(1, lines.size(), String.join("\n", lines));
    assertTrue(lines.get(0).contains("OutOfMemoryError"), lines.get(0));
    assertFalse(Files.exists(tmp.resolve("out/summary.json")), "no result presented as complete");
  }

  @Test
  void noSubcommandIsAUsageMistake() {
    CliTest.Result r = run();
    assertEquals(ExitCodes.USAGE, r.code());
    assertTrue(r.err().contains("Usage: gmpsim"), r.err());
    assertEquals("", r.out());
  }

  @Test
  void anUnwritableOutFolderFailsBeforeTheRun(@TempDir Path tmp) throws IOException {
    Path aFile = Files.writeString(tmp.resolve("plain.txt"), "x");
    for (String out : new String[] {"/proc/gmpsim-nope", aFile.resolve("under").toString(), aFile.toString(), ""}) {
      CliTest.Result r = run("run", example("workload-c-cgo.yaml"), "--out", out);
      assertEquals(ExitCodes.USAGE, r.code(), out + ": " + r.err());
      assertEquals("", r.out(), "nothing simulated for " + out);
      assertEquals(1, r.err().strip().lines().count(), r.err());
      assertFalse(r.err().contains("internal error"), r.err());
    }
    assertFalse(Files.exists(Path.of("/proc/gmpsim-nope")));
  }

  @Test
  void warmupWindowIsLabelledAndNoFigureContradictsAnother(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("c");
    CliTest.Result r = run("run", example("workload-c-cgo.yaml"), "--duration", "1s", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("window           500.000ms to 1000.000ms: every figure below is after the 500ms warm-up"), r.out());
    JsonNode s = JSON.readTree(out.resolve("summary.json").toFile());
    assertEquals(500_000_000L, s.at("/window/fromNs").asLong());
    assertEquals(1_000_000_000L, s.at("/window/toNs").asLong());
    long atStart = s.at("/window/threadsAtStart").asLong();
    long created = s.at("/ms/created").asLong();
    // Threads at the end of the window = threads at its start + Ms made in it - Ms destroyed in it.
    assertEquals(s.at("/threads/final").asLong(), atStart + created - s.at("/ms/destroyed").asLong());
    long gAtStart = s.at("/window/goroutinesAtStart").asLong();
    assertEquals(s.at("/goroutines/final").asLong(),
        gAtStart + s.at("/goroutines/created").asLong() - exited(s, gAtStart));
    assertTrue(s.at("/goroutines/peak").asLong() >= Math.max(gAtStart, s.at("/goroutines/final").asLong()));
    assertTrue(s.at("/goroutines/peak").asLong() <= gAtStart + s.at("/goroutines/created").asLong(),
        "the peak is of the window: at most what was alive at its start plus what it created");
  }

  @Test
  void aRunThatEndsBeforeItsWarmupSaysItsFiguresCoverTheWholeRun() throws IOException {
    // Ended by a fatal error at 54ms, before the 500ms warm-up.
    String fatal = CliTest.EXAMPLES.resolve("faults/clone-fails-500.yaml").toString();
    CliTest.Result r = run("run", fatal);
    assertTrue(r.out().contains("window           the run ended before its 500ms warm-up: every figure below covers the whole run"), r.out());
    JsonNode s = JSON.readTree(run("run", fatal, "--json").out());
    assertEquals(0, s.at("/window/fromNs").asLong());
    assertTrue(s.at("/ms/created").asLong() > 0, "the Ms made since the start are counted");
    // --duration shorter than the warm-up drops the warm-up: whole-run figures, not an empty window.
    JsonNode shortRun = JSON.readTree(run("run", example("workload-c-cgo.yaml"), "--duration", "200ms", "--json").out());
    assertEquals(0, shortRun.at("/window/fromNs").asLong());
    assertEquals(0, shortRun.at("/settings/warmupNs").asLong());
    assertTrue(shortRun.at("/ms/created").asLong() > 0, shortRun.toString());
  }

  private static long exited(JsonNode s, long atStart) {
    return atStart + s.at("/goroutines/created").asLong() - s.at("/goroutines/final").asLong();
  }

  @Test
  void summaryRecordsEveryOptionThatChangesTheResult() throws IOException {
    String file = example("workload-e-bursty.yaml");
    JsonNode plain = JSON.readTree(run("run", file, "--duration", "3s", "--json").out());
    JsonNode traced = JSON.readTree(run("run", file, "--duration", "3s", "--json", "--schedtrace", "100ms").out());
    assertEquals(0, plain.at("/settings/schedtraceNs").asLong());
    assertEquals(100_000_000L, traced.at("/settings/schedtraceNs").asLong());
    assertNotEquals(plain.get("settings"), traced.get("settings"));
    for (String f : new String[] {"seed", "durationNs", "warmupNs", "sampleNs", "goRules", "retake", "idleMs", "maxThreads"}) {
      assertTrue(plain.get("settings").has(f), f);
    }
    assertEquals(plain.get("modelVersion"), traced.get("modelVersion"));
  }

  @Test
  void noScheduleTraceFileWithoutAScheduleTrace(@TempDir Path tmp) {
    Path out = tmp.resolve("o");
    CliTest.Result r = run("run", example("workload-d-lockosthread.yaml"), "--duration", "200ms", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertFalse(Files.exists(out.resolve("schedtrace.txt")));
    assertTrue(r.out().contains("wrote " + out.resolve("timeseries.csv") + "\n"), r.out());
    assertTrue(r.out().endsWith("      " + out.resolve("summary.json") + "\n"), r.out());
  }

  @Test
  void seedsGiveADistributionThatAgreesWithSingleRunsWhateverTheParallelism(@TempDir Path tmp) throws IOException {
    String file = example("workload-e-bursty.yaml");
    CliTest.Result two = run("run", file, "--duration", "2500ms", "--seeds", "5", "--seed", "3", "--json");
    CliTest.Result one = run("run", file, "--duration", "2500ms", "--seeds", "5", "--seed", "3", "--json",
        "--parallelism", "1", "--out", tmp.resolve("s").toString());
    assertEquals(0, two.code(), two.err());
    assertEquals(two.out(), one.out(), "the spread does not depend on how many run at once");
    assertEquals(two.out(), Files.readString(tmp.resolve("s/spread.json")));
    JsonNode spread = JSON.readTree(two.out());
    List<Long> peaks = new ArrayList<>();
    for (long seed = 3; seed < 8; seed++) {
      JsonNode single = JSON.readTree(run("run", file, "--duration", "2500ms", "--seed", Long.toString(seed), "--json").out());
      peaks.add(single.at("/threads/peak").asLong());
      assertEquals(single, JSON.readTree(tmp.resolve("s/seed-" + seed + "/summary.json").toFile()));
    }
    List<Long> sorted = peaks.stream().sorted().toList();
    JsonNode f = spread.at("/figures/threads.peak");
    assertEquals(sorted.get(2), f.get("median").asLong(), "nearest-rank median of 5");
    assertEquals(sorted.get(4), f.get("p90").asLong());
    assertEquals(sorted.get(0), f.get("min").asLong());
    assertEquals(sorted.get(4), f.get("max").asLong());
    assertEquals(sorted.get(4), peaks.get((int) (f.get("maxSeed").asLong() - 3)));
    assertEquals(sorted.get(0), peaks.get((int) (f.get("minSeed").asLong() - 3)));
    assertEquals(6, Files.readString(tmp.resolve("s/seeds.csv")).lines().count(), "a header and a row per seed");

    CliTest.Result human = run("run", file, "--duration", "2500ms", "--seeds", "5", "--seed", "3");
    assertTrue(human.out().contains("seeds 3-7"), human.out());
    assertTrue(human.out().matches("(?s).*threads peak +\\d+ +\\d+ +\\d+ +\\d+ +\\d+ +\\d+\\n.*"), human.out());
    assertTrue(human.out().contains("--seed " + f.get("maxSeed").asLong()), "how to rerun the extreme");
  }
}
