package dev.gmpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gmpsim.sweep.SummaryFields;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gmpsim run with faults: the fatal outcome, the faults in summary.json and the human summary, bad faults. */
class FaultCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void cloneFailingIsAPredictionWithTheRuntimesMessageAndALinePerFault(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("out");
    CliTest.Result r = CliTest.run("run", CliTest.EXAMPLES.resolve("faults/clone-fails-500.yaml").toString(),
        "--out", out.toString());
    assertEquals(0, r.code(), "a fatal outcome is a prediction: " + r.err());
    assertTrue(r.out().contains("outcome          fatal: runtime: failed to create new OS thread (have 501 already; errno=11)"), r.out());
    assertTrue(r.out().contains("fault            ulimit -u 500: fired 1 time at "), r.out());
    JsonNode s = JSON.readTree(out.resolve("summary.json").toFile());
    assertEquals(1, s.at("/faults/0/fired").asLong());
    assertEquals("clone-fails", s.at("/faults/0/kind").asText());
    assertEquals("EAGAIN", s.at("/faults/0/firings/0/action").asText());
    assertEquals(s.get("virtualTimeNs").asLong(), s.at("/faults/0/firings/0/atNs").asLong());
  }

  @Test
  void aRunWithoutFaultsHasNoFaultsKey() throws IOException {
    CliTest.Result r = CliTest.run("run", CliTest.EXAMPLES.resolve("workload-e-bursty.yaml").toString(),
        "--duration", "200ms", "--json");
    assertEquals(0, r.code(), r.err());
    assertFalse(JSON.readTree(r.out()).has("faults"), r.out());
    assertFalse(r.out().contains("fault"), r.out());
  }

  @Test
  void aBadFaultIsOneLineExitTwoAndNothingWritten(@TempDir Path tmp) throws IOException {
    Path file = Files.writeString(tmp.resolve("bad.yaml"), """
        runtime: {gomaxprocs: 2}
        workload:
          - kind: goroutines
            steps: [block]
        faults:
          - {kind: drop, target: sysmom, message: Retake}
        """);
    Path out = tmp.resolve("out");
    CliTest.Result r = CliTest.run("run", file.toString(), "--out", out.toString());
    assertEquals(2, r.code(), r.err());
    assertEquals("gmpsim: " + file + ":6:18: faults[0].target: 'sysmom' is not an actor (did you mean 'sysmon'?);"
        + " one of: sysmon, sched, netpoller, P[n], P[*], M[n], M[*], M[locked]", r.err().strip());
    assertFalse(Files.exists(out.resolve("summary.json")));
  }

  @Test
  void aCrashWithAnUnknownSupervisionIsOneLineExitTwoAndNothingWritten(@TempDir Path tmp) throws IOException {
    Path file = Files.writeString(tmp.resolve("bad.yaml"), """
        runtime: {gomaxprocs: 2}
        workload:
          - kind: goroutines
            steps: [block]
        faults:
          - {kind: crash, target: "P[1]", at: 1s, supervision: restrat}
        """);
    Path out = tmp.resolve("out");
    CliTest.Result r = CliTest.run("run", file.toString(), "--out", out.toString());
    assertEquals(2, r.code(), r.err());
    assertEquals("gmpsim: " + file + ":6:43: faults[0].supervision: 'restrat' is not a supervision (did you mean"
        + " 'restart'?); one of: restart, stop", r.err().strip());
    assertFalse(Files.exists(out.resolve("summary.json")));
  }

  @Test
  void aFaultsFieldIsASweepParameter(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("sweep");
    CliTest.Result r = CliTest.run("sweep", CliTest.EXAMPLES.resolve("sweeps/sysmon-stall.yaml").toString(),
        "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    java.util.List<String> rows = Files.readAllLines(out.resolve("results.csv"));
    java.util.List<String> head = java.util.List.of(rows.get(0).split(","));
    int until = head.indexOf("faults[0].until");
    int max = head.indexOf("schedLatencyNs.max");
    assertEquals(10, rows.size(), rows.toString());
    for (String row : rows.subList(1, rows.size())) {
      String[] c = row.split(",");
      long m = Long.parseLong(c[max]);
      if (c[until].equals("1200ms")) {
        assertTrue(m > 150_000_000L, "a 200ms stall leaves a goroutine waiting about that long: " + row);
      } else if (c[until].equals("1000000001ns")) {
        assertTrue(m < 150_000_000L, row);
      }
    }
  }

  @Test
  void faultsAreNotASweepMetricColumn() {
    assertTrue(SummaryFields.leaves().contains("retakes"));
    assertTrue(SummaryFields.leaves().stream().noneMatch(f -> f.startsWith("faults")), SummaryFields.leaves().toString());
  }

  // Environment faults: bad ones, and their fields as sweep parameters.

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
      "{kind: syscall-hang, syscall: raed}|6:26: faults[0].syscall: no step makes a call named 'raed' (did you mean 'read'?); the scenario's calls: read",
      "{kind: gomaxprocs, at: 5s, procs: 2}|6:24: faults[0].at: at: 5s is not inside the run (duration: 1s)",
      "{kind: gomaxprocs, at: 1ms, procs: 0}|6:33: faults[0].procs: procs must be between 1 and 1024, got 0",
      "{kind: max-threads, at: 1ms, threads: 0}|6:34: faults[0].threads: threads must be at least 1, got 0",
      "{kind: syscall-latency, syscall: read, by: 1ms, probability: 2}|6:53: faults[0].probability: probability must be between 0 and 1, got 2.0",
      "{kind: syscall-hang, syscall: read, from: 2ms, until: 1ms}|6:52: faults[0].until: the window ends (until: 1ms) before it starts (from: 2ms)"})
  void aBadEnvironmentFaultIsOneLineExitTwoAndNothingWritten(String fault, String message, @TempDir Path tmp) throws IOException {
    Path file = Files.writeString(tmp.resolve("bad.yaml"), """
        runtime: {gomaxprocs: 2}
        duration: 1s
        workload:
          - kind: goroutines
            steps: [{syscall: {name: read, duration: 1ms}}]
        faults:
          - FAULT
        """.replace("FAULT", fault));
    Path out = tmp.resolve("out");
    CliTest.Result r = CliTest.run("run", file.toString(), "--out", out.toString());
    assertEquals(2, r.code(), r.err());
    assertEquals("gmpsim: " + file + ":7:" + message.substring(2), r.err().strip());
    assertFalse(Files.exists(out.resolve("summary.json")));
  }

  @Test
  void gomaxprocsAtAndProcsAreSweepParameters(@TempDir Path tmp) throws IOException {
    Path sweep = Files.writeString(tmp.resolve("sweep.yaml"), """
        name: gomaxprocs-at
        seed: 1
        duration: 300ms
        scenario:
          name: gomaxprocs-at
          runtime: {gomaxprocs: 4}
          duration: 300ms
          workload:
            - kind: goroutines
              count: 8
              steps: [{loop: {count: 0, steps: [{compute: 1ms}, {syscall: {name: write, duration: 50us}}]}}]
          faults:
            - {kind: gomaxprocs, at: 100ms, procs: 2}
        parameters:
          - path: faults[0].at
            values: [100ms, 200ms]
          - path: faults[0].procs
            values: [1, 8]
        metrics: [threads.peak]
        """);
    Path out = tmp.resolve("sweep-out");
    CliTest.Result r = CliTest.run("sweep", sweep.toString(), "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    java.util.List<String> rows = Files.readAllLines(out.resolve("results.csv"));
    assertEquals(5, rows.size(), rows.toString());
    java.util.List<String> head = java.util.List.of(rows.get(0).split(","));
    assertTrue(head.contains("faults[0].at") && head.contains("faults[0].procs"), rows.get(0));
    int outcome = head.indexOf("outcome");
    for (String row : rows.subList(1, rows.size())) {
      assertEquals("ok", row.split(",")[outcome], row);
    }
  }
}
