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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
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

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for results.csv, results.jsonl and sweep.json.")
  Path out;

  @Option(names = "--resume", description = "Continue the sweep in --out, skipping the runs already there.")
  boolean resume;

  @Option(names = "--join", paramLabel = "HOST:PORT", description = "Submit to the cluster that has a node at HOST:PORT.")
  String join;

  @Option(names = "--port", description = "This process's cluster port with --join (default: any free port).")
  int port;

  @Option(names = "--parallelism", description = "Runs at once per worker node (default: cores).")
  Integer parallelism;

  @Option(names = "--resend-after", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "Ask again for a run with no answer after this long (default: 60s; answers to repeated asks are "
          + "deduplicated).")
  Long resendAfter;

  @Option(names = "--retries", description = "Attempts per failed run before its failure is recorded (default: ${DEFAULT-VALUE}).")
  int retries = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter o = spec.commandLine().getOut();
    SweepPlan plan = SweepLoader.load(file);
    if (join != null && !join.matches("[^:\\s]+:\\d{1,5}")) {
      throw new UserError("--join: '" + join + "' is not HOST:PORT");
    }
    List<RunRequest> runs = plan.runs();
    Set<String> params = new LinkedHashSet<>();
    runs.forEach(r -> params.addAll(r.parameters().keySet()));
    ResultSink sink;
    try {
      sink = ResultSink.open(out, plan.name(), file.toString(), runs.size(), new ArrayList<>(params), plan.metrics(),
          resume);
    } catch (ResultSink.Refused e) {
      throw new UserError(e.getMessage());
    }
    int perNode = parallelism != null ? parallelism : Runtime.getRuntime().availableProcessors();
    if (perNode < 1) {
      throw new UserError("--parallelism must be at least 1");
    }
    SweepRunner.Options opts =
        new SweepRunner.Options(join, port, perNode, Math.max(1, retries),
            Duration.ofNanos(resendAfter == null ? 60_000_000_000L : resendAfter), Duration.ofSeconds(20));
    int already = sink.resultsWritten();
    o.printf(Locale.ROOT, "%s: %d runs%s, %s%n", plan.name(), runs.size(),
        already > 0 ? " (" + already + " already done)" : "",
        join == null ? "embedded cluster, " + perNode + " at once" : "cluster at " + join);
    o.flush();
    long t0 = System.nanoTime();
    SweepCoordinator.Finished f;
    try (Progress progress = new Progress(o, runs.size(), already)) {
      f = SweepRunner.run(runs, sink, opts, progress::update, progress::notice);
    } catch (SweepRunner.Unreachable e) {
      throw new UserError(e.getMessage());
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    o.printf(Locale.ROOT, "done: %d runs in %.1fs (%.0f runs/min), %d failed, %d skipped; results in %s%n",
        f.done(), secs, f.done() * 60 / Math.max(secs, 1e-9), f.failed(), f.skipped(), out);
    return f.failed() == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
  }

  /** A progress bar on a terminal, a log line every few seconds otherwise. */
  private static final class Progress implements AutoCloseable {
    private final PrintWriter out;
    private final ProgressBar bar;
    private final int total;
    private long lastLine;

    Progress(PrintWriter out, int total, int already) {
      this.out = out;
      this.total = total;
      this.bar = System.console() == null ? null
          : new ProgressBarBuilder().setTaskName("runs").setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
              .showSpeed().build();
      if (bar != null) {
        bar.stepTo(already);
      }
    }

    void update(SweepCoordinator.Progress p) {
      if (bar != null) {
        bar.stepTo(p.done());
        bar.setExtraMessage(p.failed() > 0 ? p.failed() + " failed" : "");
        return;
      }
      long now = System.nanoTime();
      if (now - lastLine > 5_000_000_000L || p.done() == total) {
        lastLine = now;
        out.printf(Locale.ROOT, "%d/%d runs, %d failed%n", p.done(), total, p.failed());
        out.flush();
      }
    }

    void notice(SweepCoordinator.Notice n) {
      if (bar != null) {
        out.println(); // below the bar, which draws itself again on the next step
      }
      out.println(n.text());
      out.flush();
    }

    @Override
    public void close() {
      if (bar != null) {
        bar.close();
      }
    }
  }
}
