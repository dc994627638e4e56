package dev.gmpsim.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gmpsim.protocol.result.RunResult;
import dev.gmpsim.protocol.result.RunSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * A prediction as a distribution: one scenario's headline figures over many seeds, as median,
 * p90, min and max (nearest rank), with the seeds that gave the extremes so they can be rerun.
 */
final class SeedSpread {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** How a figure is read from a summary and shown. */
  enum Unit { COUNT, NANOS, FRACTION }

  record Figure(String name, String label, Unit unit, ToDoubleFunction<RunSummary> value) {}

  static final List<Figure> FIGURES = List.of(
      new Figure("threads.peak", "threads peak", Unit.COUNT, s -> s.threads().peak()),
      new Figure("threads.final", "threads final", Unit.COUNT, s -> s.threads().fin()),
      new Figure("threads.mean", "threads mean", Unit.COUNT, s -> s.threads().mean()),
      new Figure("threads.os.peak", "OS threads peak", Unit.COUNT, s -> s.threads().os().peak()),
      new Figure("threads.os.final", "OS threads final", Unit.COUNT, s -> s.threads().os().fin()),
      new Figure("ms.created", "Ms created", Unit.COUNT, s -> s.ms().created()),
      new Figure("retakes", "retakes", Unit.COUNT, RunSummary::retakes),
      new Figure("handoffs", "handoffs", Unit.COUNT, RunSummary::handoffs),
      new Figure("exitsyscall.slow", "exitsyscall slow", Unit.COUNT, s -> s.exitsyscall().slow()),
      new Figure("pUtilization", "P utilization", Unit.FRACTION, RunSummary::pUtilization),
      new Figure("schedLatencyNs.p50", "sched lat p50", Unit.NANOS, s -> s.schedLatencyNs().p50()),
      new Figure("schedLatencyNs.p99", "sched lat p99", Unit.NANOS, s -> s.schedLatencyNs().p99()),
      new Figure("requestLatencyNs.p50", "request p50", Unit.NANOS,
          s -> s.requestLatencyNs() == null ? Double.NaN : s.requestLatencyNs().p50()),
      new Figure("requestLatencyNs.p99", "request p99", Unit.NANOS,
          s -> s.requestLatencyNs() == null ? Double.NaN : s.requestLatencyNs().p99()),
      new Figure("goroutines.peak", "goroutines peak", Unit.COUNT, s -> s.goroutines().peak()),
      new Figure("events", "events", Unit.COUNT, RunSummary::events));

  /** One figure's spread. */
  record Stats(double median, double p90, double min, double max, long minSeed, long maxSeed) {}

  private final String file;
  private final List<RunSummary> runs;
  private final int parallelism;
  private final Map<String, Stats> stats = new java.util.LinkedHashMap<>();

  private SeedSpread(String file, List<RunSummary> runs, int parallelism) {
    this.file = file;
    this.runs = runs;
    this.parallelism = parallelism;
    for (Figure f : FIGURES) {
      Stats s = of(runs, f.value());
      if (s != null) {
        stats.put(f.name(), s);
      }
    }
  }

  static SeedSpread of(String file, List<RunResult> results, int parallelism) {
    List<RunSummary> runs = new ArrayList<>();
    for (RunResult r : results) {
      runs.add(r.summary());
    }
    return new SeedSpread(file, runs, parallelism);
  }

  /** Nearest-rank statistics; the first seed wins a tie for an extreme. Null if no run has it. */
  static Stats of(List<RunSummary> runs, ToDoubleFunction<RunSummary> value) {
    List<RunSummary> have = new ArrayList<>();
    for (RunSummary r : runs) {
      if (!Double.isNaN(value.applyAsDouble(r))) {
        have.add(r);
      }
    }
    if (have.isEmpty()) {
      return null;
    }
    List<RunSummary> sorted = new ArrayList<>(have);
    sorted.sort(Comparator.comparingDouble(value).thenComparingLong(RunSummary::seed));
    int n = sorted.size();
    RunSummary min = sorted.get(0);
    RunSummary max = sorted.get(n - 1);
    for (RunSummary r : have) { // lowest seed among those at the maximum
      if (value.applyAsDouble(r) == value.applyAsDouble(max) && r.seed() < max.seed()) {
        max = r;
      }
    }
    return new Stats(
        value.applyAsDouble(sorted.get(rank(0.5, n))),
        value.applyAsDouble(sorted.get(rank(0.9, n))),
        value.applyAsDouble(min), value.applyAsDouble(max), min.seed(), max.seed());
  }

  private static int rank(double q, int n) {
    return Math.max(0, (int) Math.ceil(q * n) - 1);
  }

  Map<String, Stats> stats() {
    return stats;
  }

  private Map<String, Integer> outcomes() {
    Map<String, Integer> out = new TreeMap<>();
    for (RunSummary r : runs) {
      out.merge(r.outcome(), 1, Integer::sum);
    }
    return out;
  }

  String human() {
    RunSummary first = runs.get(0);
    long lo = runs.stream().mapToLong(RunSummary::seed).min().orElse(0);
    long hi = runs.stream().mapToLong(RunSummary::seed).max().orElse(0);
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%-16s %s (go %s rules, GOMAXPROCS=%d, seeds %d-%d, %d at a time)%n",
        "scenario", first.scenario(), first.goVersion(), first.gomaxprocs(), lo, hi, parallelism));
    StringBuilder oc = new StringBuilder();
    outcomes().forEach((k, v) -> oc.append(oc.length() == 0 ? "" : ", ").append(v).append(' ').append(k));
    b.append(String.format(Locale.ROOT, "%-16s %s%n", "outcomes", oc));
    RunSummary.Window w = first.window();
    if (w != null && w.fromNs() > 0) {
      b.append(String.format(Locale.ROOT, "%-16s %s to %s: every figure is after the %s warm-up%n",
          "window", HumanSummary.ms(w.fromNs()), HumanSummary.ms(w.toNs()), HumanSummary.shortDuration(w.fromNs())));
    }
    b.append(String.format(Locale.ROOT, "%n%-18s %10s %10s %10s %10s %9s %9s%n",
        "over " + runs.size() + " seeds", "median", "p90", "min", "max", "min seed", "max seed"));
    for (Figure f : FIGURES) {
      Stats s = stats.get(f.name());
      if (s == null) {
        continue;
      }
      b.append(String.format(Locale.ROOT, "%-18s %10s %10s %10s %10s %9d %9d%n", f.label(),
          show(f.unit(), s.median()), show(f.unit(), s.p90()), show(f.unit(), s.min()),
          show(f.unit(), s.max()), s.minSeed(), s.maxSeed()));
    }
    Stats peak = stats.get("threads.peak");
    b.append(String.format(Locale.ROOT, "%nrerun the extremes: ./gmpsim run %s --seed %d   (or --seed %d)%n",
        file, peak.maxSeed(), peak.minSeed()));
    return b.toString();
  }

  private static String show(Unit u, double v) {
    return switch (u) {
      case COUNT -> v == Math.rint(v) ? String.format(Locale.ROOT, "%d", (long) v)
          : String.format(Locale.ROOT, "%.1f", v);
      case FRACTION -> String.format(Locale.ROOT, "%.1f%%", 100 * v);
      case NANOS -> HumanSummary.us((long) v);
    };
  }

  /** spread.json: the statistics, the outcomes and one line per seed. */
  String json() {
    ObjectNode root = JSON.createObjectNode();
    RunSummary first = runs.get(0);
    root.put("scenario", first.scenario());
    root.put("modelVersion", first.modelVersion());
    root.put("goVersion", first.goVersion());
    root.put("gomaxprocs", first.gomaxprocs());
    ArrayNode seeds = root.putArray("seeds");
    runs.forEach(r -> seeds.add(r.seed()));
    ObjectNode oc = root.putObject("outcomes");
    outcomes().forEach(oc::put);
    root.put("quantiles", "nearest rank");
    ObjectNode figs = root.putObject("figures");
    for (Figure f : FIGURES) {
      Stats s = stats.get(f.name());
      if (s == null) {
        continue;
      }
      ObjectNode o = figs.putObject(f.name());
      number(o, "median", f.unit(), s.median());
      number(o, "p90", f.unit(), s.p90());
      number(o, "min", f.unit(), s.min());
      number(o, "max", f.unit(), s.max());
      o.put("minSeed", s.minSeed());
      o.put("maxSeed", s.maxSeed());
    }
    ArrayNode rows = root.putArray("runs");
    for (RunSummary r : runs) {
      ObjectNode o = rows.addObject();
      o.put("seed", r.seed());
      o.put("outcome", r.outcome());
      for (Figure f : FIGURES) {
        double v = f.value().applyAsDouble(r);
        if (!Double.isNaN(v)) {
          number(o, f.name(), f.unit(), v);
        }
      }
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void number(ObjectNode o, String k, Unit u, double v) {
    if (u != Unit.FRACTION && v == Math.rint(v)) {
      o.put(k, (long) v); // counts and nanoseconds are integers
    } else {
      o.put(k, v);
    }
  }

  /** seeds.csv: one row per seed, the figures as columns. */
  String csv() {
    StringBuilder b = new StringBuilder("seed,outcome");
    for (Figure f : FIGURES) {
      b.append(',').append(f.name());
    }
    b.append('\n');
    for (RunSummary r : runs) {
      b.append(r.seed()).append(',').append(csvText(r.outcome()));
      for (Figure f : FIGURES) {
        double v = f.value().applyAsDouble(r);
        b.append(',');
        if (!Double.isNaN(v)) {
          b.append(f.unit() != Unit.FRACTION && v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v));
        }
      }
      b.append('\n');
    }
    return b.toString();
  }

  private static String csvText(String s) {
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
