package dev.gmpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gmpsim bench end to end on tiny runs (20ms of virtual time, one run per timing): shape, not speed. */
class BenchCliTest {
  static final Path EXAMPLES = Files.isDirectory(Path.of("examples")) ? Path.of("examples") : Path.of("..", "examples");
  static final String A = EXAMPLES.resolve("workload-a-network.yaml").toString();
  static final String E = EXAMPLES.resolve("workload-e-bursty.yaml").toString();
  static final String[] TINY = {"--duration", "20ms", "--min-time", "0", "--warmup", "0"};

  static String[] args(String... more) {
    List<String> a = new ArrayList<>(List.of("bench"));
    a.addAll(List.of(TINY));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  @Test
  void jsonFollowsTheDocumentedSchema() throws Exception {
    CliTest.Result r = CliTest.run(args("--repeat", "3", "--json", A, E));
    assertEquals(0, r.code(), r.err());
    JsonNode root = new ObjectMapper().readTree(r.out()); // stdout is the JSON document and nothing else
    assertEquals("gmpsim-bench/1", root.get("schema").asText());
    assertEquals(Runtime.getRuntime().availableProcessors(), root.at("/machine/cores").asInt());
    for (String f : List.of("/machine/jvm", "/machine/javaVersion", "/machine/os", "/model")) {
      assertTrue(root.at(f).isTextual(), f);
    }
    assertFalse(root.at("/settings/quick").asBoolean());
    assertEquals(0, root.at("/settings/warmupRounds").asInt());
    assertEquals(3, root.at("/settings/rounds").asInt());
    assertEquals(0.0, root.at("/settings/minTimingSeconds").asDouble());
    assertEquals(0.02, root.at("/settings/maxVirtualSeconds").asDouble());
    assertEquals(1_000_000, root.at("/settings/plainLoopEventsPerRun").asLong());

    JsonNode plain = root.get("plainLoop");
    assertSpread(plain, "eventsPerSecond");
    assertSpread(plain, "bytesPerEvent");
    assertTimings(plain, 3, plain.get("eventsPerRun").asLong());

    JsonNode w = root.get("workloads");
    assertEquals(2, w.size());
    assertEquals("workload-a-network", w.get(0).get("name").asText());
    assertEquals(A, w.get(0).get("file").asText());
    assertEquals("workload-e-bursty", w.get(1).get("name").asText());
    for (JsonNode o : w) {
      assertEquals(0.02, o.get("virtualSecondsPerRun").asDouble(), 1e-9);
      assertTrue(o.get("eventsPerRun").asLong() > 0);
      for (String f : List.of("eventsPerSecond", "virtualPerWall", "vsPlainLoop", "bytesPerEvent")) {
        assertSpread(o, f);
      }
      // The run's dispatcher thread was found and counted: the model allocates something per event.
      assertTrue(o.at("/bytesPerEvent/median").asDouble() > 0, o.toString());
      assertTimings(o, 3, o.get("eventsPerRun").asLong());
      // A count, not a timing: the same share in every round (each run does the same events), and
      // most of a run's events are messages between two actors.
      double share = o.get("mailboxShare").asDouble();
      assertTrue(share > 0.5 && share < 1, o.toString());
      for (JsonNode t : o.get("timings")) {
        assertEquals(share, t.get("mailboxEvents").asDouble() / t.get("events").asDouble(), 1e-12, t.toString());
      }
    }
    assertTrue(plain.get("timings").get(0).get("mailboxEvents").isNull(), "the plain loop has no mailboxes");
    for (String f : List.of("eventsPerSecond", "vsPlainLoop", "bytesPerEvent")) {
      assertSpread(root.get("all"), f);
    }
    assertTrue(root.at("/all/mailboxShare").asDouble() > 0.5, root.get("all").toString());
  }

  static void assertSpread(JsonNode o, String field) {
    JsonNode s = o.get(field);
    assertTrue(s != null && s.isObject(), field + " in " + o);
    double min = s.get("min").asDouble();
    double median = s.get("median").asDouble();
    double max = s.get("max").asDouble();
    assertTrue(s.get("median").isNumber() && min <= median && median <= max, field + ": " + s);
  }

  /** Every timing: its round, and the same events every run (each run uses the scenario's seed). */
  static void assertTimings(JsonNode o, int rounds, long eventsPerRun) {
    JsonNode t = o.get("timings");
    assertEquals(rounds, t.size());
    for (int i = 0; i < rounds; i++) {
      JsonNode x = t.get(i);
      assertEquals(i + 1, x.get("round").asInt());
      assertEquals(x.get("runs").asLong() * eventsPerRun, x.get("events").asLong(), x.toString());
      assertTrue(x.get("wallNs").asLong() > 0 && x.get("virtualNs").isNumber() && x.get("allocatedBytes").isNumber(),
          x.toString());
    }
  }

  @Test
  void quickPrintsTheMachineThePlanAndAnAlignedTable() {
    CliTest.Result r = CliTest.run(args("--quick", "--repeat", "2", A, E));
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertTrue(lines.get(0).startsWith("gmpsim bench on " + Runtime.getRuntime().availableProcessors() + " cores, "),
        r.out());
    assertEquals("--quick: 0 warm-up rounds, then 2 rounds of the plain loop and 2 workloads in turn, "
        + "each timing at least 0s of wall time, runs cut to 20ms of virtual time", lines.get(1));
    assertTrue(lines.get(2).startsWith("median (min-max) of 2 timings"), lines.get(2));
    List<String> table = lines.subList(4, lines.size()).stream().filter(l -> !l.isEmpty()).toList();
    assertEquals(5, table.size(), r.out()); // header, plain loop, two workloads, all workloads
    assertTrue(table.get(0).startsWith("workload "), table.get(0));
    assertTrue(table.get(1).startsWith("plain event loop "), table.get(1));
    assertTrue(table.get(2).startsWith("workload-a-network "), table.get(2));
    assertTrue(table.get(3).startsWith("workload-e-bursty "), table.get(3));
    assertTrue(table.get(4).startsWith("all workloads "), table.get(4));
    for (String l : table) {
      // Right-aligned columns: every row ends where the header does.
      assertEquals(table.get(0).length(), l.length(), r.out());
    }
    assertTrue(table.get(2).matches(".* \\d+\\.\\d\\d \\(\\d+\\.\\d\\d-\\d+\\.\\d\\d\\) .*"), table.get(2));
    assertTrue(table.get(0).endsWith(" mailbox"), table.get(0));
    assertTrue(table.get(1).endsWith(" -"), table.get(1));
    assertTrue(table.get(2).matches(".* 0\\.\\d\\d\\d"), table.get(2));
    assertTrue(r.err().contains("gmpsim bench: round 2 of 2"), r.err());
  }

  @Test
  void badInputIsOneLineAndExitCode2(@TempDir Path tmp) {
    CliTest.Result zero = CliTest.run("bench", "--repeat", "0", E);
    assertEquals(2, zero.code());
    assertEquals("gmpsim: --repeat must be at least 1, got 0", zero.err().strip());
    assertEquals("", zero.out());

    String nope = tmp.resolve("nope.yaml").toString();
    CliTest.Result missing = CliTest.run("bench", E, nope);
    assertEquals(2, missing.code());
    assertEquals(1, missing.err().strip().lines().count(), missing.err());
    assertTrue(missing.err().contains("nope.yaml") && missing.err().contains("not found"), missing.err());
    assertEquals("", missing.out()); // every file is read before anything is printed or timed

    CliTest.Result negative = CliTest.run("bench", "--min-time", "-1s", E);
    assertEquals(2, negative.code());
    assertEquals(1, negative.err().strip().lines().count(), negative.err());
  }
}
