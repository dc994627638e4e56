package dev.gmpsim.protocol.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.RecordComponent;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The runtime's copies with one setting changed keep every other setting the scenario made. */
class RuntimeSpecTest {
  static final RuntimeSpec ALL = new RuntimeSpec(3, 2, 1.5, "1.22", true, RuntimeSpec.Retake.GO, 20_000L,
      RuntimeSpec.IdleMs.POOL, 8, 500, false, CostTable.DEFAULTS, 70_000L, "50", 64L << 20);

  static void sameExcept(RuntimeSpec a, RuntimeSpec b, Set<String> changed) throws Exception {
    for (RecordComponent c : RuntimeSpec.class.getRecordComponents()) {
      if (!changed.contains(c.getName())) {
        assertEquals(c.getAccessor().invoke(a), c.getAccessor().invoke(b), c.getName());
      }
    }
  }

  @Test
  void withMethodsKeepTheRest() throws Exception {
    sameExcept(ALL, ALL.withCpus(4, false), Set.of("cpus"));
    sameExcept(ALL, ALL.withIdleMs(RuntimeSpec.IdleMs.POOL, 16), Set.of("idleMs", "idleMsCap"));
    sameExcept(ALL, ALL.withRetake(RuntimeSpec.Retake.THRESHOLD, 10_000L), Set.of("retake", "retakeThreshold"));
    assertEquals("50", ALL.withCpus(4, true).gogc());
    assertEquals(70_000L, ALL.withCpus(4, true).timerSlack());
  }
}
