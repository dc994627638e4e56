package dev.gmpsim.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.gmpsim.protocol.scenario.Nanos;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bound of a range or a sample: a plain number, a duration ("1ms", kept in nanoseconds) or a
 * rate ("2k/s", kept in events per second). Generated values are written back in the bound's
 * unit, rounded to {@link #DIGITS} significant digits.
 */
record Quantity(Kind kind, double value, boolean integral, String unit) {
  enum Kind {
    NUMBER,
    DURATION,
    RATE;

    String word() {
      return switch (this) {
        case NUMBER -> "a number";
        case DURATION -> "a duration";
        case RATE -> "a rate";
      };
    }
  }

  static final int DIGITS = 6;

  private static final Pattern DURATION_UNIT =
      Pattern.compile("\\s*[0-9]+(?:\\.[0-9]+)?\\s*(ns|us|µs|ms|s|m|min|h)\\s*");
  private static final Pattern RATE_UNIT =
      Pattern.compile("\\s*[0-9]+(?:\\.[0-9]+)?\\s*([kKmM]?)\\s*/\\s*(s|ms|us|min|m)\\s*");
  private static final Pattern NUMBER = Pattern.compile("\\s*-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?\\s*");

  /** Reads a bound; throws IllegalArgumentException with a user-facing message. */
  static Quantity parse(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      throw new IllegalArgumentException("missing");
    }
    if (node.isNumber()) {
      return new Quantity(Kind.NUMBER, node.doubleValue(), node.isIntegralNumber(), "");
    }
    if (!node.isTextual()) {
      throw new IllegalArgumentException(
          "expected a number, a duration (1ms) or a rate (2k/s), got " + node);
    }
    String t = node.asText();
    if (NUMBER.matcher(t).matches()) {
      double v = Double.parseDouble(t.trim());
      return new Quantity(Kind.NUMBER, v, t.trim().matches("-?[0-9]+"), "");
    }
    Matcher d = DURATION_UNIT.matcher(t.toLowerCase(Locale.ROOT));
    if (d.matches()) {
      String unit = d.group(1).equals("µs") ? "us" : d.group(1);
      return new Quantity(Kind.DURATION, Nanos.parse(t), false, unit);
    }
    Matcher r = RATE_UNIT.matcher(t);
    if (r.matches()) {
      return new Quantity(Kind.RATE, Nanos.parseRate(t), false, r.group(1) + "/" + r.group(2));
    }
    throw new IllegalArgumentException(
        "'" + t + "' is not a number, a duration (1ms) or a rate (2k/s)");
  }

  /** The bound as written back (for descriptions). */
  String text() {
    return format(value, this, this);
  }

  /**
   * Formats {@code v} (in this kind's base unit) like the bounds {@code from} and {@code to}:
   * integers stay integers, durations keep the bounds' unit when they share one (else each value
   * takes the largest unit not above it), rates keep {@code from}'s unit.
   */
  static String format(double v, Quantity from, Quantity to) {
    switch (from.kind) {
      case NUMBER:
        if (from.integral && to.integral) {
          return Long.toString(Math.round(v));
        }
        return plain(round(v));
      case DURATION:
        {
          long ns = Math.round(round(v));
          String unit = from.unit.equals(to.unit) ? from.unit : bestUnit(ns);
          if (ns == 0) {
            return "0" + unit;
          }
          return plain(BigDecimal.valueOf(ns).divide(BigDecimal.valueOf(unitNs(unit)))) + unit;
        }
      case RATE:
        {
          String mult = from.unit.substring(0, from.unit.indexOf('/'));
          String per = from.unit.substring(from.unit.indexOf('/') + 1);
          double m = switch (mult) {
            case "k", "K" -> 1e3;
            case "m", "M" -> 1e6;
            default -> 1;
          };
          double seconds = switch (per) {
            case "s" -> 1;
            case "ms" -> 1e-3;
            case "us" -> 1e-6;
            default -> 60;
          };
          return plain(round(v * seconds / m)) + from.unit;
        }
      default:
        throw new IllegalStateException();
    }
  }

  /** The JSON node a generated value is set as: numbers as numbers, the rest as text. */
  static JsonNode node(double v, Quantity from, Quantity to) {
    String text = format(v, from, to);
    if (from.kind == Kind.NUMBER) {
      return from.integral && to.integral ? LongNode.valueOf(Long.parseLong(text)) : DoubleNode.valueOf(Double.parseDouble(text));
    }
    return TextNode.valueOf(text);
  }

  private static double round(double v) {
    if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
      return v;
    }
    return new BigDecimal(v).round(new MathContext(DIGITS, RoundingMode.HALF_EVEN)).doubleValue();
  }

  private static String plain(double v) {
    return plain(BigDecimal.valueOf(v));
  }

  private static String plain(BigDecimal b) {
    String s = b.stripTrailingZeros().toPlainString();
    return s.equals("-0") ? "0" : s;
  }

  private static String bestUnit(long ns) {
    if (ns >= Nanos.S) {
      return "s";
    }
    if (ns >= Nanos.MS) {
      return "ms";
    }
    if (ns >= Nanos.US) {
      return "us";
    }
    return "ns";
  }

  private static long unitNs(String unit) {
    return switch (unit) {
      case "ns" -> 1L;
      case "us" -> Nanos.US;
      case "ms" -> Nanos.MS;
      case "s" -> Nanos.S;
      case "m", "min" -> 60 * Nanos.S;
      case "h" -> 3600 * Nanos.S;
      default -> throw new IllegalStateException(unit);
    };
  }
}
