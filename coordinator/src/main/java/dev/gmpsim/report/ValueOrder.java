package dev.gmpsim.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Orders a parameter's values as a reader expects on an axis: by magnitude (1us before 3.162us
 * before 1ms, 5k/s before 20k/s, exp(250ms) before exp(1s)), values with no number after them.
 */
final class ValueOrder {
  private static final Pattern QUANTITY = Pattern.compile(
      "(-?[0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)\\s*(?:([kKmM]?)\\s*/\\s*(s|ms|us|min|m)\\b|(ns|us|µs|ms|min|s|m|h)\\b)?");

  private ValueOrder() {}

  static List<String> sorted(Collection<String> values) {
    List<String> out = new ArrayList<>(new LinkedHashSet<>(values));
    List<String> firstSeen = List.copyOf(out);
    out.sort(Comparator.<String, Double>comparing(v -> key(v), Comparator.nullsLast(Comparator.naturalOrder()))
        .thenComparing(firstSeen::indexOf));
    return out;
  }

  /** The magnitude of the first quantity in {@code v}, in ns for durations and per second for rates. */
  static Double key(String v) {
    Matcher m = QUANTITY.matcher(v);
    if (!m.find()) {
      return null;
    }
    double x = Double.parseDouble(m.group(1));
    if (m.group(4) != null) {
      return x * switch (m.group(4)) {
        case "ns" -> 1.0;
        case "us", "µs" -> 1e3;
        case "ms" -> 1e6;
        case "s" -> 1e9;
        case "m", "min" -> 60e9;
        default -> 3600e9;
      };
    }
    if (m.group(3) != null) {
      double prefix = switch (m.group(2).toLowerCase(Locale.ROOT)) {
        case "k" -> 1e3;
        case "m" -> 1e6;
        default -> 1.0;
      };
      double per = switch (m.group(3)) {
        case "ms" -> 1e-3;
        case "us" -> 1e-6;
        case "m", "min" -> 60;
        default -> 1;
      };
      return x * prefix / per;
    }
    return x;
  }
}
