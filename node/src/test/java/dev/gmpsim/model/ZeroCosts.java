package dev.gmpsim.model;

import akka.actor.testkit.typed.javadsl.TestProbe;
import dev.gmpsim.protocol.scenario.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenarios for message-level tests whose cost table is all zeros (so every virtual time a test
 * expects is exact), with chosen costs and runtime keys put back; and small probe helpers.
 */
final class ZeroCosts {
  private static final AtomicInteger NAMES = new AtomicInteger();

  static final String[] COSTS = {
    "syscall", "entersyscall", "exitsyscallfast", "exitsyscall0", "clone", "futex-wake",
    "futex-park", "cgo-call", "vdso", "vdso-fallback", "context-switch", "timer-slack", "syscall-wakeup",
    "netpoll", "schedule", "steal", "newproc", "gopark", "net-syscall", "timer-wakeup", "lockedm-wake"
  };

  private ZeroCosts() {}

  /**
   * GOMAXPROCS {@code procs}, every cost 0 except {@code costs} ("vdso: 50ns", ...), plus
   * {@code runtimeKeys} ("go-version: \"1.19\"", "vdso: false", ...) under runtime.
   */
  static Scenario scenario(int procs, List<String> runtimeKeys, String... costs) {
    Map<String, String> table = new LinkedHashMap<>();
    for (String c : COSTS) {
      table.put(c, "0ns");
    }
    for (String c : costs) {
      String[] kv = c.split(":", 2);
      if (!table.containsKey(kv[0].trim())) {
        throw new IllegalArgumentException("unknown cost " + kv[0]);
      }
      table.put(kv[0].trim(), kv[1].trim());
    }
    StringBuilder y = new StringBuilder("runtime:\n  gomaxprocs: ").append(procs).append('\n');
    for (String k : runtimeKeys) {
      y.append("  ").append(k).append('\n');
    }
    y.append("  costs:\n");
    table.forEach((k, v) -> y.append("    ").append(k).append(": \"").append(v).append("\"\n"));
    y.append("workload:\n  - kind: goroutines\n    steps: [block]\n");
    return ModelHarness.scenario(y.toString());
  }

  static Scenario scenario(int procs, String... costs) {
    return scenario(procs, List.of(), costs);
  }

  /** A name no other actor of the test kit has. */
  static String name(String base) {
    return base + "-" + NAMES.incrementAndGet();
  }

  /** Marks the end of what a probe got (see {@link #drain}). */
  private record End(long at) implements Msg {}

  /**
   * Everything the probe got, in order. Call after the run has ended: every stub told its probe
   * before it passed the run on, so a marker told now arrives after all of it.
   */
  static List<Msg> drain(TestProbe<Msg> probe) {
    probe.getRef().tell(new End(-1));
    List<Msg> out = new ArrayList<>();
    while (true) {
      Msg m = probe.receiveMessage(Duration.ofSeconds(5));
      if (m instanceof End) {
        return out;
      }
      out.add(m);
    }
  }

  /** The messages of {@code type} in {@code msgs}. */
  static <T> List<T> only(List<Msg> msgs, Class<T> type) {
    List<T> out = new ArrayList<>();
    for (Msg m : msgs) {
      if (type.isInstance(m)) {
        out.add(type.cast(m));
      }
    }
    return out;
  }
}
