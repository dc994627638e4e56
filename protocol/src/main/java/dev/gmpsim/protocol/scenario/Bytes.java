package dev.gmpsim.protocol.scenario;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes written with units: 512B, 10KB, 1.5MB, 2GB (powers of 1024). */
public final class Bytes {
  private static final Pattern SIZE = Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(b|kb|kib|mb|mib|gb|gib)?\\s*");

  private Bytes() {}

  /** A size that must say its unit: "10" is refused (10 bytes? 10KB?), "10B" is fine. */
  public static long parseWithUnit(String text) {
    Matcher m = SIZE.matcher(text.toLowerCase(Locale.ROOT));
    if (m.matches() && m.group(2) == null) {
      throw new IllegalArgumentException("'" + text.trim() + "' has no unit (write e.g. 512B, 10KB, 1MB)");
    }
    return parse(text);
  }

  public static long parse(String text) {
    Matcher m = SIZE.matcher(text.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      if (text.trim().startsWith("-")) {
        throw new IllegalArgumentException("'" + text.trim() + "': a size must not be negative");
      }
      throw new IllegalArgumentException("'" + text + "' is not a size (write e.g. 512B, 10KB, 1MB)");
    }
    String unit = m.group(2) == null ? "b" : m.group(2);
    long mult =
        switch (unit) {
          case "kb", "kib" -> 1024L;
          case "mb", "mib" -> 1024L * 1024;
          case "gb", "gib" -> 1024L * 1024 * 1024;
          default -> 1L;
        };
    return Nanos.exact(text, m.group(1), mult, "a size", "8191PB");
  }
}
