package dev.gmpsim.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long-running cluster shared by several users: two sweeps submitted at once from two
 * processes to one worker node both finish, each with every one of its runs exactly once.
 */
class SharedClusterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final NodeProcesses nodes = new NodeProcesses();

  @AfterEach
  void stop() {
    nodes.close();
  }

  @Test
  void twoSweepsAtOnceOnOneClusterBothComplete(@TempDir Path tmp) throws Exception {
    int port = NodeProcesses.freePort();
    Path node = tmp.resolve("node.log");
    start(node, "node", "--port", Integer.toString(port), "--parallelism", "1");
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline && !(Files.exists(node) && Files.readString(node).contains(" up: worker"))) {
      Thread.sleep(200);
    }
    Path examples = Files.isDirectory(Path.of("examples")) ? Path.of("examples") : Path.of("..", "examples");
    String[][] sweeps = {{"retake-threshold.yaml", "21"}, {"gomaxprocs-x-rate.yaml", "24"}};
    List<Process> submitters = new ArrayList<>();
    for (String[] sw : sweeps) {
      submitters.add(start(tmp.resolve(sw[0] + ".log"), "sweep", examples.resolve("sweeps").resolve(sw[0]).toString(),
          "--out", tmp.resolve("out-" + sw[0]).toString(), "--join", "127.0.0.1:" + port, "--port", "0",
          "--parallelism", "1"));
    }
    for (int i = 0; i < sweeps.length; i++) {
      Path log = tmp.resolve(sweeps[i][0] + ".log");
      assertTrue(submitters.get(i).waitFor(240, TimeUnit.SECONDS), Files.readString(log));
      assertEquals(0, submitters.get(i).exitValue(), Files.readString(log));
      List<String> ids = new ArrayList<>();
      for (String line : Files.readAllLines(tmp.resolve("out-" + sweeps[i][0]).resolve("results.jsonl"))) {
        JsonNode r = JSON.readTree(line);
        ids.add(r.get("id").asText());
        assertEquals("ok", r.get("outcome").asText(), line);
      }
      assertEquals(Integer.parseInt(sweeps[i][1]), ids.size(), sweeps[i][0]);
      assertEquals(ids.size(), ids.stream().distinct().count(), "every run once in " + sweeps[i][0]);
    }
  }

  private Process start(Path log, String... args) throws Exception {
    return nodes.start(log, List.of("-Xmx384m"), Map.of(), args);
  }
}
