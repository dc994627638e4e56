package dev.gmpsim.cli;

import dev.gmpsim.coordinator.ResultSink;
import dev.gmpsim.coordinator.SweepCoordinator;
import dev.gmpsim.coordinator.SweepRunner;
import dev.gmpsim.protocol.sweep.RunRequest;
import dev.gmpsim.sweep.SweepLoader;
import dev.gmpsim.sweep.SweepPlan;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** gmpsim sweep: runs every run of a sweep file on a cluster, writing results as they come. */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    description = "Run a sweep: on an embedded one-node cluster using every core, or on a running cluster (--join).")
final class SweepCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "Sweep file (YAML), see docs/sweeps.md.")
  Path file;

  // Short enough that picocli does not wrap inside a file name ("sweep." / "json").
  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Folder for sweep.json, results.jsonl, results.csv, report.html.")
  String out;

  @Option(names = "--resume", description = "Continue the sweep in --out (the same sweep file): keep its results, "
      + "run the rest, and run again the runs that failed (error, timeout).")
  boolean resume;

  @Option(names = "--keep-failed", description = "With --resume: keep failed runs' results instead of running them again.")
  boolean keepFailed;

  @Option(names = "--join", paramLabel = "HOST:PORT", description = "Submit to the cluster that has a node at HOST:PORT.")
  String join;

  @Option(names = "--port", description = "This process's cluster port (default: any free port).")
  int port;

  @Option(names = "--parallelism", description = "Runs at once per worker node (default: cores).")
  Integer parallelism;

  @Option(names = "--resend-after", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "Ask again for a run with no answer after this long (default: 60s; answers to repeated asks are "
          + "deduplicated).")
  Long resendAfter;

  @Option(names = "--keep-runs", description = "Also keep each run's files (summary.json, timeseries.csv, ...) in "
      + "DIR/runs/ID/, linked from report.html (off by default: a big sweep would write many files).")
  boolean keepRuns;

  @Option(names = "--retries", description = "Attempts in all per failed run before its failure is recorded "
      + "(default: ${DEFAULT-VALUE}; 1: no retry).")
  int retries = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter o = spec.commandLine().getOut();
    // Every argument, the sweep file and the folder are checked, and the cluster reached, before
    // the folder is created: a failed start leaves nothing behind.
    if (out.isBlank()) {
      throw new UserError("--out: the folder name is empty");
    }
    if (join != null) {
      checkHostPort(join);
    }
    if (port < 0 || port > 65535) {
      throw new UserError("--port: " + port + " is not a port (0..65535, 0 for any free port)");
    }
    if (parallelism != null && parallelism < 1) {
      throw new UserError("--parallelism must be at least 1, got " + parallelism);
    }
    if (retries < 1) {
      throw new UserError("--retries must be at least 1 (attempts in all; 1 runs a failed run once), got " + retries);
    }
    if (resendAfter != null && resendAfter <= 0) {
      throw new UserError("--resend-after must be above 0s (it is how long to wait for an answer before asking again)");
    }
    if (keepFailed && !resume) {
      throw new UserError("--keep-failed only goes with --resume");
    }
    SweepPlan plan = SweepLoader.load(file);
    List<RunRequest> runs = plan.runs();
    if (keepRuns) {
      runs = runs.stream().map(r -> r.keepingFiles(true)).toList();
    }
    Set<String> params = new LinkedHashSet<>();
    Set<String> ids = new HashSet<>();
    runs.forEach(r -> {
      params.addAll(r.parameters().keySet());
      ids.add(r.runId());
    });
    Path dir = Path.of(out);
    ResultSink.Sweep sweep = new ResultSink.Sweep(plan.name(), file.toString(), runs.size(), ResultSink.planHash(runs),
        ids, new ArrayList<>(params), plan.metrics());
    ResultSink.Mode mode = !resume ? ResultSink.Mode.NEW
        : keepFailed ? ResultSink.Mode.RESUME_KEEP_FAILED : ResultSink.Mode.RESUME;
    try {
      ResultSink.check(dir, sweep, mode);
    } catch (ResultSink.Refused e) {
      throw new UserError(e.getMessage());
    }
    int perNode = parallelism != null ? parallelism : Runtime.getRuntime().availableProcessors();
    SweepRunner.Options opts =
        new SweepRunner.Options(join, port, perNode, retries,
            Duration.ofNanos(resendAfter == null ? 60_000_000_000L : resendAfter), Duration.ofSeconds(20));
    SweepRunner.Session session;
    try {
      session = SweepRunner.start(opts);
    } catch (SweepRunner.Unreachable e) {
      throw new UserError(e.getMessage());
    }
    try (session) {
      ResultSink sink;
      try {
        sink = ResultSink.open(dir, sweep, mode);
      } catch (ResultSink.Refused e) {
        throw new UserError(e.getMessage());
      }
      if (keepRuns) {
        // The same files as run --out writes, through the same function.
        // threads.svg comes from the result (it crossed the cluster); trace.json needs a recorder in
        // the run's own JVM, so kept runs have none (re-run one with run --out and its seed for it).
        Map<String, List<dev.gmpsim.protocol.scenario.Fault>> faultsOf = new java.util.HashMap<>();
        for (RunRequest r : runs) {
          faultsOf.put(r.runId(), r.scenario().faults());
        }
        sink.keepRunsWith((id, files) -> RunOutput.write(dir.resolve("runs").resolve(id), files,
            faultsOf.getOrDefault(id, List.of()), null));
      }
      int already = sink.resultsWritten();
      o.printf(Locale.ROOT, "%s: %d runs%s, %s%n", plan.name(), runs.size(),
          resumed(already, sink.retrying()),
          join == null ? "embedded cluster, " + perNode + " at once" : "cluster at " + join);
      o.flush();
      long t0 = System.nanoTime();
      Progress progress = new Progress(o, runs.size(), already, System.console() != null, System::nanoTime);
      PrintWriter err = spec.commandLine().getErr();
      // Ctrl-C (or SIGTERM): say how far the sweep got and leave sweep.json saying so.
      Thread onStop = new Thread(() -> {
        if (sink.interrupt()) {
          progress.interrupted();
          err.printf(Locale.ROOT, "gmpsim: interrupted after %d of %d runs; continue with --resume%n",
              sink.resultsWritten(), sink.total());
          writeReport(dir, err, "gmpsim: partial report: ");
          err.flush();
        }
      }, "sweep-interrupted");
      Runtime.getRuntime().addShutdownHook(onStop);
      SweepCoordinator.Finished f;
      try {
        f = session.run(runs, sink, progress::update, progress::notice);
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(onStop);
        } catch (IllegalStateException e) {
          // already shutting down: the hook reports
        }
      }
      progress.close();
      double secs = (System.nanoTime() - t0) / 1e9;
      o.printf(Locale.ROOT, "done: %d runs in %.1fs (%.0f runs/min), %d failed, %d skipped; results in %s%n",
          f.done(), secs, f.done() * 60 / Math.max(secs, 1e-9), f.failed(), f.skipped(), out);
      writeReport(dir, o, "report: ");
      o.flush();
      return f.failed() == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
    }
  }

  /** Writes DIR/report.html and prints its path; a report that cannot be written costs the sweep nothing. */
  private static void writeReport(Path dir, PrintWriter to, String prefix) {
    try {
      dev.gmpsim.report.SweepResults r = dev.gmpsim.report.SweepResults.read(dir, true);
      to.println(prefix + dev.gmpsim.report.ReportPage.write(r));
    } catch (dev.gmpsim.report.SweepResults.NotResults e) {
      to.println("no report: " + e.getMessage());
    } catch (java.io.IOException | RuntimeException e) {
      to.println("no report: cannot write " + dir.resolve("report.html") + " (" + e.getMessage() + ")");
    }
  }

  private static String resumed(int already, int retrying) {
    List<String> parts = new ArrayList<>();
    if (already > 0) {
      parts.add(already + " already done");
    }
    if (retrying > 0) {
      parts.add(retrying + " failed, to run again");
    }
    return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
  }

  private static void checkHostPort(String hostPort) throws UserError {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0 || !hostPort.substring(colon + 1).matches("\\d{1,9}") || hostPort.substring(0, colon).isBlank()
        || hostPort.substring(0, colon).matches(".*[\\s:].*")) {
      throw new UserError("--join: '" + hostPort + "' is not HOST:PORT");
    }
    int p = Integer.parseInt(hostPort.substring(colon + 1));
    if (p < 1 || p > 65535) {
      throw new UserError("--join: " + hostPort + ": port " + p + " is out of range (1..65535)");
    }
  }

  /** A progress bar on a terminal, a log line every few seconds otherwise. */
  static final class Progress {
    private static final int WIDTH = 30;
    private final PrintWriter out;
    private final int total;
    private final int already;
    private final boolean terminal;
    private final LongSupplier clock;
    private final long t0;
    private long lastLine;
    private int done;
    private int failed;
    private String shown = "";
    private boolean closed;

    Progress(PrintWriter out, int total, int already, boolean terminal, LongSupplier clock) {
      this.out = out;
      this.total = total;
      this.already = already;
      this.terminal = terminal;
      this.clock = clock;
      this.t0 = clock.getAsLong();
      this.done = already;
      if (terminal) {
        render();
      }
    }

    synchronized void update(SweepCoordinator.Progress p) {
      done = p.done();
      failed = p.failed();
      if (terminal) {
        render();
        return;
      }
      long now = clock.getAsLong();
      if (now - lastLine > 5_000_000_000L || done == total) {
        lastLine = now;
        out.println(line());
        out.flush();
      }
    }

    /** A lost node or runs asked for again: a line of its own, the bar drawn again below it. */
    synchronized void notice(SweepCoordinator.Notice n) {
      if (terminal && !shown.isEmpty()) {
        out.println();
        shown = "";
      }
      out.println(n.text());
      out.flush();
      if (terminal) {
        render();
      }
    }

    /** done/total, failures, rate and time left. */
    String line() {
      StringBuilder b = new StringBuilder().append(done).append('/').append(total).append(" runs");
      b.append(", ").append(failed).append(" failed");
      double secs = (clock.getAsLong() - t0) / 1e9;
      int here = done - already;
      if (here > 0 && secs > 0 && done < total) {
        double perSec = here / secs;
        b.append(", ").append(rate(perSec)).append(", ").append(clock((long) ((total - done) / perSec))).append(" left");
      }
      return b.toString();
    }

    private void render() {
      int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * done / total);
      String bar = String.format(Locale.ROOT, "runs %3d%% [%s%s] %s", total == 0 ? 100 : 100L * done / total,
          "=".repeat(filled), " ".repeat(WIDTH - filled), line());
      if (bar.equals(shown)) {
        return; // the same line again would be a duplicate in a log of the terminal
      }
      // Pad over a longer line shown before.
      out.print("\r" + bar + " ".repeat(Math.max(0, shown.length() - bar.length())));
      out.flush();
      shown = bar;
    }

    /** Ends the bar's line (once). */
    synchronized void close() {
      if (terminal && !closed) {
        out.println();
        out.flush();
      }
      closed = true;
    }

    /** Stopped mid-sweep: end the bar's line so that the message after it has its own. */
    void interrupted() {
      close();
    }

    /** 0.6/s, 12/s; 3.0/min below 0.1/s. */
    static String rate(double perSec) {
      if (perSec >= 10) {
        return String.format(Locale.ROOT, "%.0f runs/s", perSec);
      }
      if (perSec >= 0.1) {
        return String.format(Locale.ROOT, "%.1f runs/s", perSec);
      }
      return String.format(Locale.ROOT, "%.1f runs/min", perSec * 60);
    }

    static String clock(long secs) {
      return secs >= 3600
          ? String.format(Locale.ROOT, "%d:%02d:%02d", secs / 3600, secs / 60 % 60, secs % 60)
          : String.format(Locale.ROOT, "%d:%02d", secs / 60, secs % 60);
    }
  }
}
