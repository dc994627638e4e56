package dev.gmpsim.cli;

import dev.gmpsim.coordinator.ResultSink;
import dev.gmpsim.coordinator.SweepCoordinator;
import dev.gmpsim.coordinator.SweepRunner;
import dev.gmpsim.protocol.sweep.RunRequest;
import dev.gmpsim.sweep.SweepLoader;
import dev.gmpsim.sweep.SweepPlan;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sweep throughput on one node, one run at a time and one run per core, then on two nodes: the
 * same sweep on an embedded one-node cluster, then with a second JVM on 127.0.0.1 joined to it
 * (one run at a time on each). Times run from
 * submitting the sweep to its last result (cluster start-up is left out). Every phase (warm-ups
 * and measurements) has its own run ids, so that no run entity answers from a result it kept
 * from an earlier phase. A phase that stalls, loses a node, asks for a run again or has a failed
 * run gives no figure: the bench fails.
 */
final class SweepBench {
  /** No result for this long and the phase has stalled (tests set gmpsim.bench.stall, in seconds). */
  static Duration stall() {
    return Duration.ofSeconds(Long.getLong("gmpsim.bench.stall", 120));
  }

  /** The benchmark could not give a figure; the message is one line for the user. */
  static final class Failed extends Exception {
    Failed(String message) {
      super(message);
    }
  }

  private SweepBench() {}

  static int run(Path file, PrintWriter out) throws Exception {
    SweepPlan plan = SweepLoader.load(file);
    int n = plan.runs().size();
    int cores = Runtime.getRuntime().availableProcessors();
    out.printf(Locale.ROOT, "gmpsim bench --sweep %s: %d runs, %d cores%n", file, n, cores);
    out.flush();
    // Warm up this JVM on the whole sweep first, every core busy: a JIT still compiling during
    // the one-at-a-time phase would make one core look slower than it is.
    timed("the 1-node warm-up", phase(plan.runs(), "warm-1"), null, cores);
    double one = timed("the 1-node sweep", phase(plan.runs(), "one"), null, 1);
    out.printf(Locale.ROOT, "1 node, --parallelism 1: %6.1fs  %7.1f runs/min%n", one, n * 60 / one);
    out.flush();
    if (cores > 1) {
      double all = timed("the 1-node sweep at --parallelism " + cores, phase(plan.runs(), "cores"), null, cores);
      out.printf(Locale.ROOT, "1 node, --parallelism %d: %6.1fs  %7.1f runs/min  (%.2fx)%n", cores, all, n * 60 / all,
          one / all);
      out.flush();
    }
    int port = freePort();
    Path log = Files.createTempFile("gmpsim-bench-node", ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process node = new ProcessBuilder(java, "-Xss4m", "-cp", System.getProperty("java.class.path"), "dev.gmpsim.cli.Main",
        "node", "--port", Integer.toString(port), "--parallelism", "1")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!Files.readString(log).contains("up:")) {
        if (!node.isAlive() || System.nanoTime() > deadline) {
          throw new Failed("the second node did not start: " + Files.readString(log).strip().replace('\n', ' '));
        }
        Thread.sleep(100);
      }
      // Warm the second JVM, then measure.
      String join = "127.0.0.1:" + port;
      timed("the 2-node warm-up", phase(plan.runs().subList(0, Math.min(8, n)), "warm-2"), join, 1);
      double two = timed("the 2-node sweep", phase(plan.runs(), "two"), join, 1);
      out.printf(Locale.ROOT, "2 nodes, --parallelism 1 each: %6.1fs  %7.1f runs/min  (%.2fx)%n", two, n * 60 / two,
          one / two);
    } finally {
      node.destroy();
      node.waitFor(10, TimeUnit.SECONDS);
      node.destroyForcibly();
      Files.deleteIfExists(log);
    }
    return ExitCodes.OK;
  }

  /** The runs with ids of their own for {@code phase}: the same work, other run entities. */
  static List<RunRequest> phase(List<RunRequest> runs, String phase) {
    List<RunRequest> out = new ArrayList<>(runs.size());
    for (RunRequest r : runs) {
      out.add(new RunRequest(phase + "-" + r.runId(), r.scenario(), r.seed(), r.parameters(), r.attempt()));
    }
    return out;
  }

  /** Seconds from submission to the last result; {@link Failed} if the phase gives no honest figure. */
  private static double timed(String what, List<RunRequest> runs, String join, int parallelism) throws Exception {
    Path dir = Files.createTempDirectory("gmpsim-bench-sweep");
    AtomicLong lastResult = new AtomicLong(System.nanoTime());
    AtomicLong done = new AtomicLong();
    AtomicReference<String> trouble = new AtomicReference<>();
    AtomicReference<Object> outcome = new AtomicReference<>();
    Duration stall = stall();
    Thread sweep = new Thread(() -> {
      try {
        ResultSink sink = ResultSink.open(dir.resolve("out"), "bench", "bench", runs.size(), List.of(), List.of(), false);
        outcome.set(SweepRunner.run(runs, sink,
            new SweepRunner.Options(join, 0, parallelism, 1, Duration.ofMinutes(10), Duration.ofSeconds(20)),
            p -> {
              done.set(p.done());
              lastResult.set(System.nanoTime());
            },
            notice -> {
              if (notice.disturbs()) {
                trouble.compareAndSet(null, notice.text());
              }
            }));
      } catch (Throwable t) {
        outcome.set(t);
      }
    }, "gmpsim-bench-sweep");
    try {
      sweep.start();
      while (sweep.isAlive()) {
        sweep.join(100);
        String why = trouble.get();
        if (why == null && System.nanoTime() - lastResult.get() > stall.toNanos()) {
          why = "stalled, no result for " + stall.toSeconds() + "s";
        }
        if (why != null && sweep.isAlive()) {
          sweep.interrupt();
          sweep.join(60_000);
          throw new Failed(what + ": " + why + " (" + done.get() + " of " + runs.size() + " runs done); no figure");
        }
      }
      Object o = outcome.get();
      if (o instanceof SweepRunner.Unreachable u) {
        throw new Failed(what + ": " + u.getMessage());
      } else if (o instanceof Exception e) {
        throw e;
      } else if (o instanceof Error e) {
        throw e;
      }
      SweepCoordinator.Finished f = (SweepCoordinator.Finished) o;
      if (f.failed() > 0) {
        throw new Failed(what + ": " + f.failed() + " of " + runs.size() + " runs failed; no figure");
      }
      if (trouble.get() != null) {
        throw new Failed(what + ": " + trouble.get() + "; no figure");
      }
      return SweepRunner.lastSweepNanos() / 1e9; // from submission to the last result
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
