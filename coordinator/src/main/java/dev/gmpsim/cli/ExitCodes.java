package dev.gmpsim.cli;

/** Exit codes of the command line. */
public final class ExitCodes {
  public static final int OK = 0;
  /** The simulation ran but the run failed (fatal outcome, invariant violated), or a bug. */
  public static final int FAILURE = 1;
  /** A user mistake: bad option, bad scenario file, unusable output folder. */
  public static final int USAGE = 2;

  private ExitCodes() {}
}
