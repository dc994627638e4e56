package dev.gmpsim.cli;

import dev.gmpsim.coordinator.ResultSink;
import dev.gmpsim.coordinator.SweepRunner;
import dev.gmpsim.sweep.SweepLoader;
import dev.gmpsim.sweep.SweepPlan;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Sweep throughput on one node and on two: the same sweep, one run at a time per node, first on
 * an embedded one-node cluster, then with a second JVM on 127.0.0.1 joined to it. Times run from
 * submitting the sweep to its last result (cluster start-up is left out).
 */
final class SweepBench {
  private SweepBench() {}

  static int run(Path file, PrintWriter out) throws Exception {
    SweepPlan plan = SweepLoader.load(file);
    int n = plan.runs().size();
    out.printf(Locale.ROOT, "gmpsim bench --sweep %s: %d runs, one at a time per node, %d cores%n", file, n,
        Runtime.getRuntime().availableProcessors());
    out.flush();
    // Warm up this JVM on a few runs first.
    timed(plan.runs().subList(0, Math.min(4, n)), null, 0);
    double one = timed(plan.runs(), null, 0);
    out.printf(Locale.ROOT, "1 node : %6.1fs  %7.1f runs/min%n", one, n * 60 / one);
    out.flush();
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
          throw new UserError("the second node did not start: " + Files.readString(log));
        }
        Thread.sleep(100);
      }
      // Warm the second JVM, then measure.
      timed(plan.runs().subList(0, Math.min(8, n)), "127.0.0.1:" + port, 0);
      double two = timed(plan.runs(), "127.0.0.1:" + port, 0);
      out.printf(Locale.ROOT, "2 nodes: %6.1fs  %7.1f runs/min  (%.2fx)%n", two, n * 60 / two, one / two);
    } finally {
      node.destroy();
      node.waitFor(10, TimeUnit.SECONDS);
      node.destroyForcibly();
      Files.deleteIfExists(log);
    }
    return ExitCodes.OK;
  }

  private static double timed(List<dev.gmpsim.protocol.sweep.RunRequest> runs, String join, int port)
      throws Exception {
    Path dir = Files.createTempDirectory("gmpsim-bench-sweep");
    try {
      ResultSink sink = ResultSink.open(dir.resolve("out"), "bench", "bench", runs.size(), List.of(), List.of(), false);
      SweepRunner.run(runs, sink,
          new SweepRunner.Options(join, port, 1, 1, Duration.ofMinutes(10), Duration.ofSeconds(20)), p -> {});
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
