package dev.gmpsim.cli;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import dev.gmpsim.protocol.result.RunOptions;
import dev.gmpsim.protocol.result.RunSummary;
import dev.gmpsim.protocol.scenario.Scenario;
import dev.gmpsim.protocol.scenario.ScenarioLoader;
import dev.gmpsim.run.Simulation;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a big scenario costs: workload A at 500, 5,000 and 50,000 connections (the request rate
 * kept at 10k/s, so only the size changes), workload C with 50ms and 500ms cgo calls,
 * and a million parked goroutines. Each is run once after a warm-up, timed, and its heap sampled
 * every 20ms; the cost per event should grow no faster than log n with the number of goroutines.
 */
final class BenchScale {
  /** One size: a name, the example it is made from, and the edits that make it. */
  record Case(String name, String file, Map<String, String> edits, long duration) {}

  /** One measured size. */
  record Row(String name, long goroutines, long threads, long events, double wallS, long heapPeakBytes) {
    double eventsPerS() {
      return events / wallS;
    }

    double nsPerEvent() {
      return wallS * 1e9 / events;
    }
  }

  private BenchScale() {}

  static List<Case> cases(boolean quick) {
    long d = quick ? 1_000_000_000L : 3_000_000_000L;
    List<Case> cs = new ArrayList<>();
    for (int n : new int[] {500, 5_000, 50_000}) {
      cs.add(new Case("workload A, " + String.format(Locale.ROOT, "%,d", n) + " connections",
          "examples/workload-a-network.yaml",
          edits("count: 5000", "count: " + n, "think: exp(500ms)", "think: exp(" + n / 10 + "ms)"), d));
    }
    // 5,000 connections at 10k requests/s: a 50ms call keeps about 500 in flight; a 500ms call slows
    // the closed loop to about 5k requests/s with thousands in flight (the threads column says how many).
    cs.add(new Case("workload C, 500 cgo calls in flight", "examples/workload-c-cgo.yaml", edits(), d));
    cs.add(new Case("workload C, 500ms cgo calls (thousands of threads)", "examples/workload-c-cgo.yaml",
        edits("cgo: 50ms", "cgo: 500ms"), d));
    cs.add(new Case("a million parked goroutines", "examples/bench/million-parked.yaml", edits(), quick ? d : 0));
    return cs;
  }

  private static Map<String, String> edits(String... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return m;
  }

  static Scenario scenario(Case c) throws Exception {
    Path file = Path.of(c.file());
    if (!Files.isRegularFile(file) && Files.isRegularFile(Path.of("..").resolve(file))) {
      file = Path.of("..").resolve(file); // the tests run in a module's folder
    }
    if (!Files.isRegularFile(file)) {
      throw new UserError("bench --scale makes its scenarios from " + c.file() + ": run it from the repository's folder");
    }
    String text = Files.readString(file);
    for (Map.Entry<String, String> e : c.edits().entrySet()) {
      if (!text.contains(e.getKey())) {
        throw new IllegalStateException(c.file() + " no longer has \"" + e.getKey() + "\" for bench --scale");
      }
      text = text.replace(e.getKey(), e.getValue());
    }
    Scenario s = ScenarioLoader.parse(c.file(), text);
    return c.duration() > 0 ? s.withDuration(Math.min(s.duration(), c.duration())) : s;
  }

  static int run(PrintWriter out, PrintWriter err, boolean quick, boolean json) throws Exception {
    List<Case> cases = cases(quick);
    List<Scenario> scenarios = new ArrayList<>();
    for (Case c : cases) {
      scenarios.add(scenario(c)); // every file is read before anything is timed
    }
    List<Row> rows = new ArrayList<>();
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "gmpsim-bench", BenchWorkloads.config());
    try {
      if (!json) {
        out.println("gmpsim bench --scale on " + BenchReport.machine() + ", max heap "
            + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB");
        out.flush();
      }
      err.println("gmpsim bench: warm-up");
      err.flush();
      Simulation.run(system, scenarios.get(1).withDuration(1_000_000_000L), RunOptions.seed(1));
      for (int i = 0; i < cases.size(); i++) {
        err.println("gmpsim bench: " + cases.get(i).name());
        err.flush();
        rows.add(measure(system, cases.get(i).name(), scenarios.get(i)));
      }
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().join();
    }
    if (json) {
      out.println(json(rows));
    } else {
      out.println();
      out.printf(Locale.ROOT, "%-40s %12s %9s %12s %9s %11s %9s %14s%n", "scenario", "goroutines", "threads",
          "events", "wall", "events/s", "ns/event", "heap peak");
      for (Row r : rows) {
        out.printf(Locale.ROOT, "%-40s %,12d %,9d %,12d %8.1fs %,11.0f %9.0f %11.0f MB%n", r.name(), r.goroutines(),
            r.threads(), r.events(), r.wallS(), r.eventsPerS(), r.nsPerEvent(), r.heapPeakBytes() / 1048576.0);
      }
      out.println();
      out.println("heap peak: the most heap in use (live and not yet collected) sampled every 20ms during the run.");
    }
    out.flush();
    return ExitCodes.OK;
  }

  private static Row measure(ActorSystem<?> system, String name, Scenario s) throws Exception {
    System.gc();
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    AtomicLong peak = new AtomicLong(mem.getHeapMemoryUsage().getUsed());
    AtomicBoolean done = new AtomicBoolean();
    Thread sampler = new Thread(() -> {
      while (!done.get()) {
        peak.accumulateAndGet(mem.getHeapMemoryUsage().getUsed(), Math::max);
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "gmpsim-bench-heap");
    sampler.setDaemon(true);
    sampler.start();
    long t0 = System.nanoTime();
    RunSummary r = Simulation.run(system, s, RunOptions.seed(s.seed())).summary();
    double wall = (System.nanoTime() - t0) / 1e9;
    done.set(true);
    sampler.join();
    if (!r.outcome().equals("ok")) {
      throw new UserError("bench --scale: " + name + " ended with " + r.outcome());
    }
    return new Row(name, r.goroutines().peak(), r.threads().peak(), r.events(), wall, peak.get());
  }

  static String json(List<Row> rows) {
    StringBuilder b = new StringBuilder("{\"scale\": [");
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      b.append(i == 0 ? "\n" : ",\n").append(String.format(Locale.ROOT,
          "  {\"name\": \"%s\", \"goroutines\": %d, \"threads\": %d, \"events\": %d, \"wallSeconds\": %.3f, "
              + "\"eventsPerSecond\": %.0f, \"nsPerEvent\": %.1f, \"heapPeakBytes\": %d}",
          r.name(), r.goroutines(), r.threads(), r.events(), r.wallS(), r.eventsPerS(), r.nsPerEvent(),
          r.heapPeakBytes()));
    }
    return b.append("\n]}").toString();
  }
}
