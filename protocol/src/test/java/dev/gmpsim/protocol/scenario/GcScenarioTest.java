package dev.gmpsim.protocol.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The garbage collector's keys: alloc steps, heap, runtime.gogc and runtime.gomemlimit. */
class GcScenarioTest {
  private static final String BLOCK = "workload:\n  - kind: goroutines\n    steps: [block]\n";

  static Stream<Arguments> badInput() {
    return Stream.of(
        Arguments.of("runtime:\n  gogc: -5\n" + BLOCK, "t.yaml:2:3: runtime.gogc: gogc must be off or >= 0, got -5"),
        Arguments.of("runtime:\n  gogc: sometimes\n" + BLOCK,
            "t.yaml:2:3: runtime.gogc: gogc must be off or a whole number >= 0, got 'sometimes'"),
        Arguments.of("workload:\n  - kind: goroutines\n    steps:\n      - alloc: 10\n",
            "t.yaml:4:16: workload[0].steps[0]: alloc: '10' has no unit (write e.g. 512B, 10KB, 1MB)"),
        Arguments.of("workload:\n  - kind: goroutines\n    steps:\n      - alloc: -5KB\n",
            "t.yaml:4:16: workload[0].steps[0]: alloc: '-5KB': a size must not be negative"),
        Arguments.of("workload:\n  - kind: goroutines\n    steps:\n      - alloc: 0B\n",
            "t.yaml:4:9: workload[0].steps[0].alloc: alloc must be a positive size such as 10KB"),
        Arguments.of("workload:\n  - kind: goroutines\n    steps:\n      - alloc: [1KB]\n",
            "t.yaml:4:16: workload[0].steps[0]: alloc takes a size such as 10KB, got a list"),
        Arguments.of("heap: {live: 50}\n" + BLOCK, "t.yaml:1:8: heap.live: '50' has no unit (write e.g. 512B, 10KB, 1MB)"),
        Arguments.of("heap: {lve: 50MB}\n" + BLOCK,
            "t.yaml:1:8: heap.lve: unknown key 'lve' (did you mean 'live'?); valid keys: globals, live"),
        Arguments.of("runtime: {gomemlimit: 512}\n" + BLOCK,
            "t.yaml:1:11: runtime.gomemlimit: '512' has no unit (write e.g. 512B, 10KB, 1MB)"),
        Arguments.of("runtime: {gomemlimit: 0MB}\n" + BLOCK,
            "t.yaml:1:11: runtime.gomemlimit: gomemlimit must be a positive size such as 512MB"));
  }

  @ParameterizedTest
  @MethodSource("badInput")
  void badInputIsOneLineWithFileLineColumnAndKey(String yaml, String message) {
    ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.parse("t.yaml", yaml));
    assertEquals(message, e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }

  @Test
  void gogcOffPercentAndLimitAreRead() throws Exception {
    Scenario off = ScenarioLoader.parse("t.yaml", "runtime: {gogc: off, gomemlimit: 64MB}\n"
        + "heap: {live: 50MB}\nworkload:\n  - kind: goroutines\n    steps: [{alloc: 10KB}, block]\n");
    assertEquals(-1, off.runtime().gcPercent());
    assertEquals(64L << 20, off.runtime().memoryLimit());
    assertEquals(50L << 20, off.heapOrDefault().liveBytes());
    assertTrue(off.allocates());
    Scenario fifty = ScenarioLoader.parse("t.yaml", "runtime: {gogc: 50}\n" + BLOCK);
    assertEquals(50, fifty.runtime().gcPercent());
    assertFalse(fifty.allocates());
    assertEquals(100, ScenarioLoader.parse("t.yaml", BLOCK).runtime().gcPercent());
  }

  @Test
  void scenariosWithoutGcKeysSerializeAsBefore() throws Exception {
    // Run ids hash the scenario's JSON: keys nobody wrote must not appear in it.
    ObjectMapper json = new ObjectMapper();
    String text = json.writeValueAsString(ScenarioLoader.parse("t.yaml", BLOCK));
    assertFalse(text.contains("heap"), text);
    assertFalse(text.contains("gogc"), text);
    assertFalse(text.contains("gomemlimit"), text);
    assertFalse(text.contains("gcMark") || text.contains("gc-mark"), text);
    assertNull(ScenarioLoader.parse("t.yaml", BLOCK).heap());
  }
}
