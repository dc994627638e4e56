package dev.gmpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gmpsim run --out writes threads.svg and trace.json and ends with the paths it wrote. */
class PicturesCliTest {
  static String example(String name) {
    return CliTest.EXAMPLES.resolve(name).toString();
  }

  @Test
  void runOutWritesThePicturesAndEndsWithThePaths(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("c");
    CliTest.Result r = CliTest.run("run", example("workload-c-cgo.yaml"), "--duration", "700ms",
        "--trace-window", "550ms..650ms", "--trace-max-events", "50000", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    List<String> names = List.of("timeseries.csv", "threads.svg", "trace.json", "summary.json");
    String[] lines = r.out().split("\n");
    int first = lines.length - names.size();
    assertEquals("wrote " + out.resolve(names.get(0)), lines[first], r.out());
    for (int i = 1; i < names.size(); i++) {
      assertEquals("      " + out.resolve(names.get(i)), lines[first + i], r.out());
    }
    for (String n : names) {
      assertTrue(Files.size(out.resolve(n)) > 0, n);
    }
    JsonNode trace = new ObjectMapper().readTree(out.resolve("trace.json").toFile());
    assertEquals("550ms..650ms", trace.at("/otherData/window").asText());
    assertEquals(50000, trace.at("/otherData/max_events").asLong());
    assertTrue(Files.readString(out.resolve("threads.svg")).contains("workload-c-cgo: threads over virtual time"));
  }

  @Test
  void noTraceLeavesTraceJsonOutAndJsonPrintsThePathsOnStderr(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("d");
    CliTest.Result r = CliTest.run("run", example("workload-d-lockosthread.yaml"), "--duration", "200ms",
        "--no-trace", "--json", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    new ObjectMapper().readTree(r.out()); // stdout is the summary alone
    assertTrue(r.err().contains("wrote " + out.resolve("timeseries.csv")), r.err());
    assertTrue(Files.exists(out.resolve("threads.svg")));
    assertFalse(Files.exists(out.resolve("trace.json")));
  }

  @Test
  void badTraceOptionsAreOneLineAndWriteNothing(@TempDir Path tmp) {
    String file = example("workload-d-lockosthread.yaml");
    Path out = tmp.resolve("x");
    String[][] cases = {
      {"--trace-window", "1s", "--out", out.toString()},
      {"--trace-window", "2s..1s", "--out", out.toString()},
      {"--trace-window", "9s..10s", "--duration", "1s", "--out", out.toString()},
      {"--trace-window", "1s..2q", "--out", out.toString()},
      {"--trace-max-events", "0", "--out", out.toString()},
      {"--trace-window", "0s..1s"},
      {"--no-trace", "--trace-max-events", "5", "--out", out.toString()},
    };
    for (String[] c : cases) {
      String[] args = new String[c.length + 2];
      args[0] = "run";
      args[1] = file;
      System.arraycopy(c, 0, args, 2, c.length);
      CliTest.Result r = CliTest.run(args);
      assertEquals(ExitCodes.USAGE, r.code(), String.join(" ", c) + ": " + r.err());
      assertEquals(1, r.err().strip().lines().count(), String.join(" ", c) + ": " + r.err());
      assertTrue(r.err().contains("--trace") || r.err().contains("--no-trace"), r.err());
      assertFalse(Files.exists(out), String.join(" ", c) + " wrote " + out);
    }
  }
}
