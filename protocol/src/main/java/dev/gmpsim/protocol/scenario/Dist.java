package dev.gmpsim.protocol.scenario;

import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A duration drawn from a distribution, in virtual nanoseconds. Written in scenarios as a plain
 * duration ({@code 50ms}) or a function: {@code exp(1ms)}, {@code uniform(1ms, 5ms)},
 * {@code normal(10ms, 2ms)} (truncated at 0), {@code lognormal(1ms, 20ms)} (median, p99).
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

  Pattern CALL = Pattern.compile("\\s*([a-z]+)\\s*\\((.*)\\)\\s*");

  static Dist constant(long ns) {
    return new Const(ns);
  }

  /** Parses the scenario notation described on the interface. */
  static Dist parse(String text) {
    Matcher m = CALL.matcher(text);
    if (!m.matches()) {
      return new Const(Nanos.parse(text));
    }
    String[] args = m.group(2).split(",");
    long[] v = new long[args.length];
    for (int i = 0; i < args.length; i++) {
      v[i] = Nanos.parse(args[i]);
    }
    String fn = m.group(1);
    int want =
        switch (fn) {
          case "exp" -> 1;
          case "uniform", "normal", "lognormal" -> 2;
          default -> throw new IllegalArgumentException(
              "unknown distribution '" + fn + "' (use exp, uniform, normal, lognormal)");
        };
    if (v.length != want) {
      throw new IllegalArgumentException(fn + "() takes " + want + " argument(s), got " + v.length);
    }
    return switch (fn) {
      case "exp" -> new Exp(v[0]);
      case "uniform" -> new Uniform(v[0], v[1]);
      case "normal" -> new Normal(v[0], v[1]);
      default -> new LogNormal(v[0], v[1]);
    };
  }
}
