package dev.gmpsim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gmpsim.protocol.result.RunOptions;
import dev.gmpsim.protocol.scenario.Scenario;
import dev.gmpsim.protocol.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * scheddetail is one snapshot, as the runtime's under sched.lock: if P i says m=X then MX says
 * p=i, and the other way round. Workload C (Ms handing Ps over every few microseconds) sampled
 * every millisecond is where a lagging view would show.
 */
class SchedDetailSnapshotTest {
  private static final Pattern P_LINE = Pattern.compile("^  P(\\d+): status=\\d+ .* m=(\\S+) runqsize=.*");
  private static final Pattern M_LINE = Pattern.compile("^  M(\\d+): p=(\\S+) curg=.*");

  @Test
  void everyPAndMAgreeOnWhoHoldsWhom() throws Exception {
    Path examples = Files.isDirectory(Path.of("examples")) ? Path.of("examples") : Path.of("..", "examples");
    Scenario s = ScenarioLoader.load(examples.resolve("workload-c-cgo.yaml")).withDuration(150_000_000L);
    String trace = Simulation.runLocally(s, RunOptions.seed(12).withSchedtrace(1_000_000L, true)).schedtrace();
    int snapshots = 0;
    int held = 0;
    Map<String, String> pToM = new HashMap<>();
    Map<String, String> mToP = new HashMap<>();
    for (String line : (trace + "SCHED end\n").split("\n")) {
      if (line.startsWith("SCHED")) {
        if (snapshots > 0) {
          for (Map.Entry<String, String> e : pToM.entrySet()) {
            assertEquals(e.getKey(), mToP.get(e.getValue()), "P" + e.getKey() + " says m=" + e.getValue());
            held++;
          }
          for (Map.Entry<String, String> e : mToP.entrySet()) {
            assertEquals(e.getKey(), pToM.get(e.getValue()), "M" + e.getKey() + " says p=" + e.getValue());
          }
        }
        snapshots++;
        pToM.clear();
        mToP.clear();
        continue;
      }
      Matcher p = P_LINE.matcher(line);
      if (p.matches() && !p.group(2).equals("nil")) {
        pToM.put(p.group(1), p.group(2));
      }
      Matcher m = M_LINE.matcher(line);
      if (m.matches() && !m.group(2).equals("nil")) {
        mToP.put(m.group(1), m.group(2));
      }
    }
    assertTrue(snapshots > 100, "a snapshot a millisecond");
    assertTrue(held > 50, "Ps held by Ms in many snapshots: " + held);
  }
}
