package dev.gmpsim.cli;

import dev.gmpsim.protocol.scenario.Nanos;
import picocli.CommandLine;

/** Reads "10s", "1000ms" options as nanoseconds. */
final class DurationConverter implements CommandLine.ITypeConverter<Long> {
  @Override
  public Long convert(String value) {
    try {
      // Rejects negative and overflowing values (Nanos.parse never clamps).
      return Nanos.parse(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
