package dev.gmpsim.protocol.scenario;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations written with units ("50ms", "10us", "1.5s") as virtual nanoseconds. */
public final class Nanos {
  public static final long US = 1_000L;
  public static final long MS = 1_000_000L;
  public static final long S = 1_000_000_000L;

  private static final Pattern DURATION =
      Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(ns|us|µs|ms|s|m|min|h)\\s*");
  private static final BigDecimal MAX = BigDecimal.valueOf(Long.MAX_VALUE);
  /** Rates above one event per virtual nanosecond cannot be spaced in virtual time. */
  public static final double MAX_RATE = 1e9;

  private Nanos() {}

  /** Parses a duration; a bare 0 is allowed, any other number needs a unit. */
  public static long parse(String text) {
    String t = text.trim();
    if (t.equals("0")) {
      return 0;
    }
    Matcher m = DURATION.matcher(t.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      if (t.startsWith("-") && DURATION.matcher(t.substring(1).toLowerCase(Locale.ROOT)).matches()) {
        throw new IllegalArgumentException("'" + t + "': a duration must not be negative");
      }
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration (write it with a unit: 100ns, 20us, 50ms, 2s, 1m)");
    }
    long unit =
        switch (m.group(2)) {
          case "ns" -> 1L;
          case "us", "µs" -> US;
          case "ms" -> MS;
          case "s" -> S;
          case "m", "min" -> 60 * S;
          case "h" -> 3600 * S;
          default -> throw new IllegalStateException(m.group(2));
        };
    return exact(t, m.group(1), unit, "a duration", "9223372036s, about 292 years");
  }

  /** {@code digits} times {@code unit}, rounded, or an error when it does not fit in a long. */
  static long exact(String text, String digits, long unit, String what, String max) {
    BigDecimal v = new BigDecimal(digits).multiply(BigDecimal.valueOf(unit)).setScale(0, RoundingMode.HALF_UP);
    if (v.compareTo(MAX) > 0) {
      throw new IllegalArgumentException("'" + text.trim() + "' is too large for " + what + " (at most " + max + ")");
    }
    return v.longValueExact();
  }

  /** Formats nanoseconds the short way a person would write them. */
  public static String format(long ns) {
    if (ns != 0 && ns % S == 0) {
      return ns / S + "s";
    }
    if (ns != 0 && ns % MS == 0) {
      return ns / MS + "ms";
    }
    if (ns != 0 && ns % US == 0) {
      return ns / US + "us";
    }
    return ns + "ns";
  }

  /** Parses a rate such as "1000/s", "2k/s", "50/ms" into events per second. */
  public static double parseRate(String text) {
    Matcher m =
        Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([kKmM]?)\\s*/\\s*(s|ms|us|min|m)\\s*")
            .matcher(text);
    if (!m.matches()) {
      if (text.trim().startsWith("-")) {
        throw new IllegalArgumentException("'" + text.trim() + "': a rate must not be negative");
      }
      throw new IllegalArgumentException("'" + text + "' is not a rate (write e.g. 500/s, 2k/s)");
    }
    double v = Double.parseDouble(m.group(1));
    v *= switch (m.group(2)) {
      case "k", "K" -> 1e3;
      case "m", "M" -> 1e6;
      default -> 1;
    };
    double per =
        switch (m.group(3)) {
          case "s" -> 1;
          case "ms" -> 1e-3;
          case "us" -> 1e-6;
          default -> 60;
        };
    double rate = v / per;
    if (rate > MAX_RATE) {
      throw new IllegalArgumentException(
          "'" + text.trim() + "' is more than one event per nanosecond (1000000000/s), the finest virtual time can space");
    }
    return rate;
  }
}
