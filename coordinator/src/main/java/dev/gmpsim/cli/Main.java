package dev.gmpsim.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The gmpsim command line. */
@Command(
    name = "gmpsim",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Simulates the Go runtime scheduler under system calls.",
    subcommands = {RunCommand.class, ValidateCommand.class, SweepCommand.class, ReportCommand.class, ServeCommand.class,
        NodeCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements java.util.concurrent.Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns its exit code. */
  public static int execute(String... args) {
    return execute(
        new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
  }

  /** Runs the command line writing to {@code out} and {@code err} (tests call this). */
  public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(new Errors());
    cli.setParameterExceptionHandler(
        (ex, a) -> {
          // One line, as for every user mistake.
          ex.getCommandLine().getErr().println("gmpsim: " + ex.getMessage()
              + " (see 'gmpsim " + ex.getCommandLine().getCommandName() + " --help')");
          return ExitCodes.USAGE;
        });
    return cli.execute(args);
  }

  /** No subcommand: a usage mistake, so the usage goes to stderr with exit code 2. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"gmpsim 0.1.0 (" + dev.gmpsim.model.Run.MODEL_VERSION + ")"};
    }
  }

  /** User mistakes become one line and exit code 2; anything else is a bug and says so. */
  static final class Errors implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(
        Exception ex, CommandLine cli, CommandLine.ParseResult parsed) {
      if (ex instanceof UserError || ex instanceof dev.gmpsim.protocol.scenario.ScenarioException) {
        cli.getErr().println("gmpsim: " + ex.getMessage());
        return ExitCodes.USAGE;
      }
      cli.getErr().println("gmpsim: internal error: " + ex);
      ex.printStackTrace(cli.getErr());
      return ExitCodes.FAILURE;
    }
  }
}
