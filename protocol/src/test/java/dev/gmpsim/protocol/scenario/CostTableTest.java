package dev.gmpsim.protocol.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.RecordComponent;
import org.junit.jupiter.api.Test;

/** The version's defaults fill only what the scenario left out: every other cost is kept. */
class CostTableTest {
  @Test
  void forGoKeepsEveryCostTheScenarioSet() throws Exception {
    RecordComponent[] parts = CostTable.class.getRecordComponents();
    Object[] args = new Object[parts.length];
    Class<?>[] types = new Class<?>[parts.length];
    for (int i = 0; i < parts.length; i++) {
      types[i] = Dist.class;
      // entersyscall, exitsyscallfast and cgo-call left out: forGo must build a new table.
      String name = parts[i].getName();
      args[i] = name.equals("entersyscall") || name.equals("exitsyscallfast") || name.equals("cgoCall")
          ? null : Dist.parse((i + 1) + "us");
    }
    CostTable mine = CostTable.class.getDeclaredConstructor(types).newInstance(args);
    for (int minor : new int[] {19, 26}) {
      CostTable t = mine.forGo(minor);
      for (int i = 0; i < parts.length; i++) {
        if (args[i] != null) {
          assertEquals(args[i], parts[i].getAccessor().invoke(t), parts[i].getName() + " under 1." + minor);
        }
      }
      assertEquals(Dist.parse(minor >= 26 ? "20ns" : "40ns"), t.entersyscall());
    }
  }
}
