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
}
