package dev.gmpsim.cli;

import dev.gmpsim.protocol.scenario.Nanos;
import picocli.CommandLine;

/** Reads "10s", "1000ms" options as nanoseconds. */
final class DurationConverter implements CommandLine.ITypeConverter<Long> {
  @Override
  public Long convert(String value) {
    try {
      long ns = Nanos.parse(value);
      if (ns < 0) {
        throw new CommandLine.TypeConversionException("'" + value + "' is negative");
      }
      return ns;
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
