package dev.gmpsim.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** gmpsim bench: placeholder replaced below. */
@Command(name = "bench", description = "Measure simulation speed.")
final class BenchCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    return 0;
  }
}
