package dev.gmpsim.protocol.scenario;

import java.util.SplittableRandom;

/**
 * A duration drawn from a distribution, in virtual nanoseconds. Written in scenarios as a plain
 * duration ({@code 50ms}) or a function: {@code exp(1ms)}, {@code uniform(1ms, 5ms)},
 * {@code normal(10ms, 2ms)} (truncated at 0), {@code lognormal(1ms, 20ms)} (median, p99),
 * {@code hist(1ms: 90, 10ms: 10)} (values with weights), {@code mix(0.9, 2us, 5ms)} (the first
 * with probability p).
 */
@com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = DistDeserializer.class)
public sealed interface Dist {
  long sample(SplittableRandom rng);

  /** The mean, used for reports and sanity checks. */
  double mean();

  record Const(long ns) implements Dist {
    public Const {
      FieldException.require(ns >= 0, "duration", "a duration cannot be negative (%dns)", ns);
    }

    public long sample(SplittableRandom rng) {
      return ns;
    }

    public double mean() {
      return ns;
    }

    @Override
    public String toString() {
      return Nanos.format(ns);
    }
  }

  record Exp(long meanNs) implements Dist {
    public Exp {
      FieldException.require(meanNs > 0, "duration", "exp() needs a positive mean");
    }

    public long sample(SplittableRandom rng) {
      return Math.round(-Math.log(1.0 - rng.nextDouble()) * meanNs);
    }

    public double mean() {
      return meanNs;
    }

    @Override
    public String toString() {
      return "exp(" + Nanos.format(meanNs) + ")";
    }
  }

  record Uniform(long lo, long hi) implements Dist {
    public Uniform {
      FieldException.require(
          lo >= 0 && hi >= lo, "duration", "uniform(lo, hi) needs 0 <= lo <= hi");
    }

    public long sample(SplittableRandom rng) {
      return lo == hi ? lo : lo + (long) (rng.nextDouble() * (hi - lo));
    }

    public double mean() {
      return (lo + hi) / 2.0;
    }

    @Override
    public String toString() {
      return "uniform(" + Nanos.format(lo) + ", " + Nanos.format(hi) + ")";
    }
  }

  record Normal(long meanNs, long sdNs) implements Dist {
    public Normal {
      FieldException.require(meanNs >= 0 && sdNs >= 0, "duration", "normal(mean, sd) needs mean, sd >= 0");
    }

    public long sample(SplittableRandom rng) {
      return Math.max(0, Math.round(meanNs + gaussian(rng) * sdNs));
    }

    public double mean() {
      return meanNs;
    }

    @Override
    public String toString() {
      return "normal(" + Nanos.format(meanNs) + ", " + Nanos.format(sdNs) + ")";
    }
  }

  /** Log-normal given by its median and 99th percentile, the two numbers people know. */
  record LogNormal(long median, long p99) implements Dist {
    private static final double Z99 = 2.3263478740408408;

    public LogNormal {
      FieldException.require(
          median > 0 && p99 >= median, "duration", "lognormal(median, p99) needs 0 < median <= p99");
    }

    public long sample(SplittableRandom rng) {
      double sigma = Math.log((double) p99 / median) / Z99;
      return Math.round(median * Math.exp(sigma * gaussian(rng)));
    }

    public double mean() {
      double sigma = Math.log((double) p99 / median) / Z99;
      return median * Math.exp(sigma * sigma / 2);
    }

    @Override
    public String toString() {
      return "lognormal(" + Nanos.format(median) + ", " + Nanos.format(p99) + ")";
    }
  }

  private static double gaussian(SplittableRandom rng) {
    // Box-Muller; one value per call keeps the draw count per sample fixed (determinism).
    double u1 = 1.0 - rng.nextDouble();
    double u2 = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  static Dist constant(long ns) {
    return new Const(ns);
  }

  /**
   * An empirical distribution: each value with its weight ({@code hist(1ms: 90, 10ms: 9,
   * 100ms: 1)}).
   */
  record Hist(long[] values, double[] cumulative) implements Dist {
    public Hist {
      FieldException.require(values.length > 0, "duration", "hist() needs at least one value: weight pair");
    }

    public long sample(SplittableRandom rng) {
      double u = rng.nextDouble() * cumulative[cumulative.length - 1];
      for (int i = 0; i < values.length; i++) {
        if (u < cumulative[i]) {
          return values[i];
        }
      }
      return values[values.length - 1];
    }

    public double mean() {
      double sum = 0;
      double prev = 0;
      for (int i = 0; i < values.length; i++) {
        sum += values[i] * (cumulative[i] - prev);
        prev = cumulative[i];
      }
      return sum / prev;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Hist h && java.util.Arrays.equals(values, h.values)
          && java.util.Arrays.equals(cumulative, h.cumulative);
    }

    @Override
    public int hashCode() {
      return 31 * java.util.Arrays.hashCode(values) + java.util.Arrays.hashCode(cumulative);
    }

    @Override
    public String toString() {
      StringBuilder b = new StringBuilder("hist(");
      double prev = 0;
      for (int i = 0; i < values.length; i++) {
        b.append(i == 0 ? "" : ", ").append(Nanos.format(values[i])).append(": ")
            .append(cumulative[i] - prev);
        prev = cumulative[i];
      }
      return b.append(')').toString();
    }
  }

  /** {@code first} with probability {@code p}, else {@code second}: {@code mix(0.9, 2us, 5ms)}. */
  record Mix(double p, Dist first, Dist second) implements Dist {
    public Mix {
      FieldException.require(p >= 0 && p <= 1, "duration", "mix(p, a, b) needs 0 <= p <= 1");
    }

    public long sample(SplittableRandom rng) {
      // Always draw the coin first, so the number of draws per sample is fixed per branch.
      return rng.nextDouble() < p ? first.sample(rng) : second.sample(rng);
    }

    public double mean() {
      return p * first.mean() + (1 - p) * second.mean();
    }

    @Override
    public String toString() {
      return "mix(" + p + ", " + first + ", " + second + ")";
    }
  }

  /** Parses the scenario notation described on the interface. */
  static Dist parse(String text) {
    String t = text.trim();
    int open = t.indexOf('(');
    if (open < 0) {
      return new Const(Nanos.parse(t));
    }
    if (!t.endsWith(")")) {
      throw new IllegalArgumentException("'" + text + "': missing ')'");
    }
    String fn = t.substring(0, open).trim();
    java.util.List<String> args = splitArgs(t.substring(open + 1, t.length() - 1));
    switch (fn) {
      case "exp" -> {
        arity(fn, args, 1);
        return new Exp(Nanos.parse(args.get(0)));
      }
      case "uniform" -> {
        arity(fn, args, 2);
        return new Uniform(Nanos.parse(args.get(0)), Nanos.parse(args.get(1)));
      }
      case "normal" -> {
        arity(fn, args, 2);
        return new Normal(Nanos.parse(args.get(0)), Nanos.parse(args.get(1)));
      }
      case "lognormal" -> {
        arity(fn, args, 2);
        return new LogNormal(Nanos.parse(args.get(0)), Nanos.parse(args.get(1)));
      }
      case "mix" -> {
        arity(fn, args, 3);
        return new Mix(probability(args.get(0)), parse(args.get(1)), parse(args.get(2)));
      }
      case "hist" -> {
        long[] values = new long[args.size()];
        double[] cumulative = new double[args.size()];
        double sum = 0;
        for (int i = 0; i < args.size(); i++) {
          String[] vw = args.get(i).split(":");
          if (vw.length != 2) {
            throw new IllegalArgumentException("hist() takes value: weight pairs, got '" + args.get(i).trim() + "'");
          }
          values[i] = Nanos.parse(vw[0]);
          double w;
          try {
            w = Double.parseDouble(vw[1].trim());
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("hist() weight '" + vw[1].trim() + "' is not a number");
          }
          if (!(w >= 0) || Double.isInfinite(w)) {
            throw new IllegalArgumentException("hist() weights must be finite and not negative");
          }
          sum += w;
          cumulative[i] = sum;
        }
        if (sum <= 0) {
          throw new IllegalArgumentException("hist() needs a positive total weight");
        }
        return new Hist(values, cumulative);
      }
      default -> throw new IllegalArgumentException(
          "unknown distribution '" + fn + "' (use exp, uniform, normal, lognormal, hist, mix)");
    }
  }

  private static void arity(String fn, java.util.List<String> args, int want) {
    if (args.size() != want) {
      throw new IllegalArgumentException(fn + "() takes " + want + " argument(s), got " + args.size());
    }
  }

  private static double probability(String s) {
    try {
      return Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + s.trim() + "' is not a probability");
    }
  }

  /** Splits on the commas that are not inside parentheses. */
  private static java.util.List<String> splitArgs(String s) {
    java.util.List<String> out = new java.util.ArrayList<>();
    int depth = 0;
    int from = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        out.add(s.substring(from, i));
        from = i + 1;
      }
    }
    if (!s.isBlank()) {
      out.add(s.substring(from));
    }
    return out;
  }
}
