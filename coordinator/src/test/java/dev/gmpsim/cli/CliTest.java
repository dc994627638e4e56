package dev.gmpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line as a user meets it: exit codes, files written, one-line errors. */
class CliTest {
  static final Path EXAMPLES = Files.isDirectory(Path.of("examples")) ? Path.of("examples") : Path.of("..", "examples");
  static final Pattern SCHED_LINE =
      Pattern.compile(
          "SCHED \\d+ms: gomaxprocs=\\d+ idleprocs=\\d+ threads=\\d+ spinningthreads=\\d+"
              + " needspinning=[01] idlethreads=\\d+ runqueue=\\d+ \\[\\d+( \\d+)*\\]");

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void runWritesSummaryScheduleTraceAndTimeSeries(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("out");
    Result r = run("run", EXAMPLES.resolve("workload-d-lockosthread.yaml").toString(),
        "--duration", "1500ms", "--schedtrace", "500ms", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    String[] lines = r.out().split("\n");
    long sched = java.util.Arrays.stream(lines).filter(l -> l.startsWith("SCHED")).count();
    assertEquals(3, sched, "one schedtrace line per 500ms of 1.5s, the first at 0ms");
    for (String l : lines) {
      if (l.startsWith("SCHED")) {
        assertTrue(SCHED_LINE.matcher(l).matches(), l);
      }
    }
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    for (String field : new String[] {"outcome", "seed", "virtualTimeNs", "events", "retakes", "handoffs",
        "syscalls", "cgoCalls", "vdsoCalls", "pUtilization"}) {
      assertTrue(summary.has(field), field);
    }
    assertEquals("ok", summary.get("outcome").asText());
    assertTrue(summary.at("/threads/peak").asLong() > 100, "100 locked Ms");
    assertTrue(summary.at("/threads/final").isNumber());
    assertTrue(summary.at("/threads/mean").isNumber());
    assertTrue(summary.at("/ms/created").isNumber());
    assertTrue(summary.at("/exitsyscall/fast").isNumber());
    assertTrue(summary.at("/schedLatencyNs/p99").isNumber());
    assertEquals(1_500_000_000L, summary.get("virtualTimeNs").asLong());
    String trace = Files.readString(out.resolve("schedtrace.txt"));
    assertEquals(3, trace.lines().count());
    String csv = Files.readString(out.resolve("timeseries.csv"));
    assertTrue(csv.startsWith("time_ns,threads,idle_threads,spinning_threads,idle_ps,global_runq,local_runq,"
        + "ms_in_syscall,gs_netpoll,goroutines,threads_os\n"));
    assertTrue(csv.lines().count() > 3);
    try (var files = Files.list(out)) {
      assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary files left");
    }
  }

  @Test
  void sameSeedGivesTheSameBytesAndAnotherSeedDoesNot(@TempDir Path tmp) throws IOException {
    String file = EXAMPLES.resolve("workload-e-bursty.yaml").toString();
    assertEquals(0, run("run", file, "--duration", "2500ms", "--seed", "7", "--out", tmp.resolve("a").toString()).code());
    assertEquals(0, run("run", file, "--duration", "2500ms", "--seed", "7", "--out", tmp.resolve("b").toString()).code());
    assertEquals(0, run("run", file, "--duration", "2500ms", "--seed", "8", "--out", tmp.resolve("c").toString()).code());
    byte[] a = Files.readAllBytes(tmp.resolve("a/summary.json"));
    assertEquals(new String(a), new String(Files.readAllBytes(tmp.resolve("b/summary.json"))));
    assertEquals(Files.readString(tmp.resolve("a/timeseries.csv")), Files.readString(tmp.resolve("b/timeseries.csv")));
    assertFalse(new String(a).equals(Files.readString(tmp.resolve("c/summary.json"))));
  }

  @Test
  void badScenarioIsOneLineNamingFileLineAndKeyWithExitCode2AndNothingWritten(@TempDir Path tmp)
      throws IOException {
    Path file = tmp.resolve("bad.yaml");
    Files.writeString(file, "name: bad\nruntime:\n  gomaxprocs: 0\nworkload:\n  - kind: goroutines\n    steps: [block]\n");
    Path out = tmp.resolve("out");
    Result r = run("run", file.toString(), "--out", out.toString());
    assertEquals(2, r.code());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains(file + ":3:3: runtime.gomaxprocs: "), r.err());
    assertFalse(Files.exists(out), "nothing written");
  }

  @Test
  void unknownKeyAndWrongTypeAndNegativeDuration(@TempDir Path tmp) throws IOException {
    Path typo = tmp.resolve("typo.yaml");
    Files.writeString(typo, "runtime:\n  gomaxproc: 2\nworkload:\n  - kind: goroutines\n    steps: [block]\n");
    Result r = run("run", typo.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains(":2:"), r.err());
    assertTrue(r.err().contains("unknown key 'gomaxproc' (did you mean 'gomaxprocs'?)"), r.err());

    Path type = tmp.resolve("type.yaml");
    Files.writeString(type, "runtime:\n  gomaxprocs: four\nworkload:\n  - kind: goroutines\n    steps: [block]\n");
    r = run("run", type.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains(type + ":2:") && r.err().contains("runtime.gomaxprocs"), r.err());

    Path neg = tmp.resolve("neg.yaml");
    Files.writeString(neg, "duration: -5s\nworkload:\n  - kind: goroutines\n    steps: [block]\n");
    r = run("run", neg.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains(neg + ":1:") && r.err().contains("duration"), r.err());

    Path step = tmp.resolve("step.yaml");
    Files.writeString(step, "workload:\n  - kind: goroutines\n    steps:\n      - sycall: 1ms\n");
    r = run("run", step.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains(step + ":4:") && r.err().contains("did you mean 'syscall'"), r.err());
  }

  @Test
  void missingFileAndBadOptions(@TempDir Path tmp) {
    Result r = run("run", tmp.resolve("nope.yaml").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("nope.yaml: file not found"), r.err());
    r = run("run", EXAMPLES.resolve("workload-a-network.yaml").toString(), "--duration", "ten");
    assertEquals(2, r.code());
    r = run("frobnicate");
    assertEquals(2, r.code());
  }

  @Test
  void outMustBeAFolder(@TempDir Path tmp) throws IOException {
    Path file = tmp.resolve("file");
    Files.writeString(file, "x");
    Result r = run("run", EXAMPLES.resolve("workload-d-lockosthread.yaml").toString(), "--out", file.toString());
    assertEquals(2, r.code());
    assertEquals("x", Files.readString(file));
  }

  @Test
  void validateChecksScenariosAndSweeps(@TempDir Path tmp) throws IOException {
    Result r = run("validate", EXAMPLES.resolve("workload-a-network.yaml").toString(),
        EXAMPLES.resolve("sweeps/gomaxprocs-x-rate.yaml").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("workload-a-network.yaml: ok"), r.out());
    assertTrue(r.out().contains("gomaxprocs-x-rate.yaml: ok (sweep gomaxprocs-x-rate: 24 runs"), r.out());
    Path bad = tmp.resolve("bad-sweep.yaml");
    Files.writeString(bad, "scenario:\n  workload:\n    - kind: goroutines\n      steps: [block]\n"
        + "parameters:\n  - path: runtime.gomaxprocz\n    values: [1]\n");
    r = run("validate", bad.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains(bad + ":6:") && r.err().contains("did you mean 'gomaxprocs'"), r.err());
  }

  @Test
  void validateKnowsALibraryForInclude(@TempDir Path tmp) throws IOException {
    Result r = run("validate", EXAMPLES.resolve("why-10us/server.lib.yaml").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("server.lib.yaml: ok (a library for include: 1 step list, 0 semaphores, 0 includes)"), r.out());
    Path bad = tmp.resolve("bad.lib.yaml");
    Files.writeString(bad, "steps:\n  req:\n    - compute: 1ms\n    - sleeep: 1ms\n");
    r = run("validate", bad.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("gmpsim: " + bad + ":4:"), r.err());
  }

  static final String BLOCK = "workload:\n  - kind: goroutines\n    steps: [block]\n";

  /** Duration options and keys that overflow or that no run can hold: one line, rc 2, nothing written. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--duration 99999999999999999999s | Invalid value for option '--duration': '99999999999999999999s' is too large for a duration (at most 9223372036s, about 292 years)",
      "--duration -3s | Invalid value for option '--duration': '-3s': a duration must not be negative",
      "--duration 2h | --duration 2h is longer than 1h, the longest run GMPsim simulates",
      "--schedtrace 1ns | --schedtrace 1ns over 2s is 2000000000 samples, more than the 1000000 a run holds; use 2us or more",
      "--schedtrace 1us --duration 1h | --schedtrace 1us over 1h is 3600000000 samples, more than the 1000000 a run holds; use 3600us or more",
      "--schedtrace 99999999999999999999s | Invalid value for option '--schedtrace': '99999999999999999999s' is too large for a duration (at most 9223372036s, about 292 years)",
  })
  void runRejectsDurationsItCannotHold(String options, String message, @TempDir Path tmp) throws IOException {
    Path file = tmp.resolve("s.yaml");
    Files.writeString(file, "duration: 2s\n" + BLOCK);
    Path out = tmp.resolve("out");
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("run", file.toString(), "--out", out.toString()));
    args.addAll(java.util.List.of(options.strip().split(" ")));
    Result r = run(args.toArray(String[]::new));
    assertEquals(2, r.code(), r.err());
    assertEquals("gmpsim: " + message + (message.startsWith("Invalid value") ? " (see 'gmpsim run --help')" : "") + "\n",
        r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    assertFalse(Files.exists(out), "nothing written");
  }

  @Test
  void schedtraceInTheFileIsBoundedToo(@TempDir Path tmp) throws IOException {
    Path file = tmp.resolve("s.yaml");
    Files.writeString(file, "schedtrace: 1ns\n" + BLOCK);
    Result r = run("run", file.toString());
    assertEquals(2, r.code());
    assertEquals("gmpsim: " + file + ":1:1: schedtrace: 1ns over 10s is 10000000000 samples, more than the 1000000"
        + " a run holds; use 10us or more\n", r.err());
    Files.writeString(file, "schedtrace: 10us\nduration: 1s\n" + BLOCK);
    r = run("run", file.toString(), "--duration", "1h");
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("gmpsim: " + file + ": schedtrace: 10us over 1h is 360000000 samples"), r.err());
  }

  @Test
  void runOnASweepFileSaysHowToRunIt() {
    String sweep = EXAMPLES.resolve("sweeps/retake-threshold.yaml").toString();
    Result r = run("run", sweep);
    assertEquals(2, r.code());
    assertEquals("gmpsim: " + sweep + ": this is a sweep file, not a scenario; run it with: gmpsim sweep " + sweep
        + " --out DIR\n", r.err());
  }

  @Test
  void validateNamesEveryKindOfFileAndCountsInWords(@TempDir Path tmp) throws IOException {
    Result r = run("validate", "--help");
    assertTrue(r.out().contains("Scenario, sweep or include (library) files"), r.out());
    Path file = tmp.resolve("one.yaml");
    Files.writeString(file, BLOCK);
    r = run("validate", file.toString());
    assertEquals(file + ": ok (scenario: GOMAXPROCS=4, go 1.22, 10s, 1 group)\n", r.out());
    Path sweep = tmp.resolve("sweep.yaml");
    Files.writeString(sweep, "scenario:\n  workload:\n    - kind: goroutines\n      steps: [block]\n"
        + "parameters:\n  - path: runtime.gomaxprocs\n    values: [1]\n");
    r = run("validate", sweep.toString());
    assertEquals(sweep + ": ok (sweep sweep: 1 run, 1 parameter)\n", r.out());
  }

  @Test
  void badFilesAreOneLineForRunValidateAndSweep(@TempDir Path tmp) throws IOException {
    Path bin = tmp.resolve("bin.yaml");
    Files.write(bin, new byte[] {(byte) 0xc3, (byte) 0x28, 0, 1, 2});
    Path dup = tmp.resolve("dup.yaml");
    Files.writeString(dup, "duration: 1s\nduration: 2s\n" + BLOCK);
    for (String cmd : new String[] {"run", "validate", "sweep"}) {
      Path out = tmp.resolve("out-" + cmd);
      for (Path f : new Path[] {bin, dup}) {
        Result r = cmd.equals("sweep") ? run(cmd, f.toString(), "--out", out.toString()) : run(cmd, f.toString());
        assertEquals(2, r.code(), cmd + " " + f + ": " + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        String expected = f == bin ? bin + ":1:1: not a text file (not UTF-8), so not YAML"
            : dup + ":2:1: duration: 'duration' is written twice (first at line 1); remove one";
        assertEquals("gmpsim: " + expected, r.err().strip(), cmd);
      }
      assertFalse(Files.exists(out), "nothing written");
    }
  }

  @Test
  void jsonWritesNanosecondMeansAsWholeNumbers() throws IOException {
    Result r = run("run", EXAMPLES.resolve("workload-a-network.yaml").toString(), "--duration", "700ms", "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode summary = new ObjectMapper().readTree(r.out());
    assertTrue(summary.at("/schedLatencyNs/mean").isIntegralNumber(), r.out());
    assertTrue(summary.at("/requestLatencyNs/mean").isIntegralNumber(), r.out());
    assertFalse(r.out().contains("E7") || r.out().contains("E6"), r.out());
  }
}
