package dev.gmpsim.cli;

import dev.gmpsim.report.ReportPage;
import dev.gmpsim.report.SweepResults;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** gmpsim report: (re)writes DIR/report.html from a sweep's results, a partial sweep's too. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "Write DIR/report.html from the results of a sweep in DIR (also of one still running or "
        + "interrupted: the page says it is partial). The page is one file that opens from disk.")
final class ReportCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR", description = "The sweep's --out folder.")
  Path dir;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    SweepResults r;
    try {
      r = SweepResults.read(dir, true);
    } catch (SweepResults.NotResults e) {
      throw new UserError(e.getMessage());
    }
    Path page = ReportPage.write(r);
    PrintWriter o = spec.commandLine().getOut();
    o.println("report: " + page + describe(r));
    o.flush();
    return ExitCodes.OK;
  }

  /** " (partial: 5 of 21 runs, interrupted)" for a sweep that is not complete. */
  static String describe(SweepResults r) {
    if (!r.partial()) {
      return " (" + r.rows().size() + " runs)";
    }
    return " (partial: " + r.rows().size() + " of " + r.total() + " runs, " + r.status() + ")";
  }
}
