package dev.gmpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gmpsim.protocol.scenario.Scenario;
import java.util.List;
import org.junit.jupiter.api.Test;

/** bench --scale: its sizes are made from the examples as they are, and its JSON parses. */
class BenchScaleTest {
  @Test
  void everySizeIsMadeFromTheExampleItNames() throws Exception {
    List<BenchScale.Case> cases = BenchScale.cases(false);
    assertEquals(6, cases.size());
    long[] connections = new long[3];
    for (int i = 0; i < 3; i++) {
      Scenario s = BenchScale.scenario(cases.get(i));
      connections[i] = s.workload().get(0).count();
      assertEquals(3_000_000_000L, s.duration(), cases.get(i).name());
    }
    assertEquals(500, connections[0]);
    assertEquals(5_000, connections[1]);
    assertEquals(50_000, connections[2]);
    // The request rate stays at 10k/s: the think time grows with the connections.
    assertEquals(100 * BenchScale.scenario(cases.get(0)).workload().get(0).think().mean(),
        BenchScale.scenario(cases.get(2)).workload().get(0).think().mean(), 1e-6 * 5e9);
    // 500ms cgo calls instead of 50ms: ten times the calls in flight.
    assertTrue(!BenchScale.scenario(cases.get(3)).workload().get(0).steps()
        .equals(BenchScale.scenario(cases.get(4)).workload().get(0).steps()));
    assertEquals(8_000_000_000L, BenchScale.scenario(cases.get(5)).duration(), "the million-parked file's own length");
  }

  @Test
  void theJsonListsEveryRow() throws Exception {
    String json = BenchScale.json(List.of(new BenchScale.Row("a", 5, 3, 1000, 0.5, 1 << 20),
        new BenchScale.Row("b", 50, 6, 4000, 1.0, 2 << 20)));
    JsonNode rows = new ObjectMapper().readTree(json).get("scale");
    assertEquals(2, rows.size());
    assertEquals(2000.0, rows.get(0).get("eventsPerSecond").asDouble());
    assertEquals(500_000.0, rows.get(0).get("nsPerEvent").asDouble(), "0.5s over 1000 events");
    assertEquals(2 << 20, rows.get(1).get("heapPeakBytes").asLong());
  }
}
