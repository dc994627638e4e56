package dev.gmpsim.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gmpsim.cli.BenchRounds.Plan;
import dev.gmpsim.cli.BenchRounds.Timing;
import dev.gmpsim.cli.BenchStats.Spread;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code gmpsim bench} prints: an aligned table of medians with their spread, or, with
 * --json, one JSON document (schema "gmpsim-bench/1", described in docs/bench.md).
 */
final class BenchReport {
  static final String SCHEMA = "gmpsim-bench/1";

  private BenchReport() {}

  /** One measured workload: its timings, one per round. {@code file} is null for the plain loop. */
  record Row(String name, String file, List<Timing> timings) {
    long eventsPerRun() {
      Timing t = timings.get(0);
      return t.events() / t.runs();
    }

    double virtualSecondsPerRun() {
      Timing t = timings.get(0);
      return t.virtualNs() / 1e9 / t.runs();
    }
  }

  /** The bench's machine, settings and results. {@code maxVirtualNs} is 0 when durations are not capped. */
  record Bench(Plan plan, boolean quick, long maxVirtualNs, Row plain, List<Row> workloads) {
    List<Timing> together() {
      List<List<Timing>> all = new ArrayList<>();
      workloads.forEach(w -> all.add(w.timings()));
      return BenchStats.together(all);
    }
  }

  static String machine() {
    return String.format(Locale.ROOT, "%d cores, %s %s", Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"), System.getProperty("java.version"));
  }

  /** The line under the machine: what is timed and how. */
  static String planLine(Plan p, boolean quick, long maxVirtualNs, int workloads) {
    return String.format(Locale.ROOT,
        "%s%d warm-up round%s, then %d rounds of the plain loop and %d workload%s in turn, each timing at least %s of wall time%s",
        quick ? "--quick: " : "", p.warmupRounds(), p.warmupRounds() == 1 ? "" : "s", p.rounds(), workloads,
        workloads == 1 ? "" : "s", seconds(p.minWallNs()),
        maxVirtualNs > 0 ? ", runs cut to " + seconds(maxVirtualNs) + " of virtual time" : "");
  }

  /** What the table's figures are. */
  static String legend(Bench b) {
    int n = b.plan().rounds();
    return "median (min-max) of " + n + " timing" + (n == 1 ? "" : "s")
        + "; vs loop: against the plain loop timed in the same round; B/event: bytes allocated per event;"
        + " mailbox: share of events handed to their actor through an Akka mailbox (a count, the same on any machine)";
  }

  private static String seconds(long ns) {
    return ns % 1_000_000_000L == 0 ? ns / 1_000_000_000L + "s"
        : ns % 1_000_000L == 0 ? ns / 1_000_000L + "ms" : ns + "ns";
  }

  /** The table: one row per workload after the plain loop's, then all workloads together. */
  static void table(PrintWriter out, Bench b) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"workload", "events/run", "M events/s", "virtual/wall", "vs loop", "B/event", "mailbox"});
    Row plain = b.plain();
    rows.add(new String[] {plain.name(), Long.toString(plain.eventsPerRun()),
        spread(BenchStats.of(plain.timings(), t -> t.eventsPerSecond() / 1e6), "%.2f", ""), "-", "1.00", bytes(plain.timings()),
        share(plain.timings())});
    for (Row w : b.workloads()) {
      rows.add(new String[] {w.name(), Long.toString(w.eventsPerRun()),
          spread(BenchStats.of(w.timings(), t -> t.eventsPerSecond() / 1e6), "%.2f", ""),
          spread(BenchStats.of(w.timings(), Timing::virtualPerWall), "%.1f", "x"),
          spread(BenchStats.vsPlain(w.timings(), plain.timings()), "%.2f", ""),
          bytes(w.timings()), share(w.timings())});
    }
    List<Timing> all = b.together();
    rows.add(new String[] {"all workloads", "-", spread(BenchStats.of(all, t -> t.eventsPerSecond() / 1e6), "%.2f", ""),
        "-", spread(BenchStats.vsPlain(all, plain.timings()), "%.2f", ""), bytes(all), share(all)});
    int[] width = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    for (int n = 0; n < rows.size(); n++) {
      if (n == rows.size() - 1) {
        out.println();
      }
      StringBuilder line = new StringBuilder();
      String[] r = rows.get(n);
      for (int i = 0; i < r.length; i++) {
        String pad = " ".repeat(width[i] - r[i].length());
        line.append(i == 0 ? r[i] + pad : "   " + pad + r[i]);
      }
      out.println(line.toString().stripTrailing());
    }
  }

  /** "2.44 (2.20-2.51)": the median, then min-max. */
  static String spread(Spread s, String format, String unit) {
    if (!s.known()) {
      return "-";
    }
    return String.format(Locale.ROOT, format + unit + " (" + format + "-" + format + ")", s.median(), s.min(), s.max());
  }

  private static String bytes(List<Timing> timings) {
    Spread s = BenchStats.of(timings, Timing::bytesPerEvent);
    return s.known() ? String.format(Locale.ROOT, "%.0f", s.median()) : "-";
  }

  /** The median share of events through a mailbox ("0.86"), or "-" (the plain loop has none). */
  private static String share(List<Timing> timings) {
    Spread s = BenchStats.of(timings, Timing::mailboxShare);
    return s.known() ? String.format(Locale.ROOT, "%.3f", s.median()) : "-";
  }

  private static void putShare(ObjectNode o, List<Timing> timings) {
    Spread s = BenchStats.of(timings, Timing::mailboxShare);
    if (s.known()) {
      o.put("mailboxShare", s.median());
    } else {
      o.putNull("mailboxShare");
    }
  }

  /** The JSON document for scripts: see docs/bench.md for every field. */
  static String json(Bench b) throws Exception {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("schema", SCHEMA);
    ObjectNode machine = root.putObject("machine");
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put("jvm", System.getProperty("java.vm.name"));
    machine.put("javaVersion", System.getProperty("java.version"));
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    root.put("model", dev.gmpsim.model.Run.MODEL_VERSION);
    ObjectNode settings = root.putObject("settings");
    settings.put("quick", b.quick());
    settings.put("warmupRounds", b.plan().warmupRounds());
    settings.put("rounds", b.plan().rounds());
    settings.put("minTimingSeconds", b.plan().minWallNs() / 1e9);
    if (b.maxVirtualNs() > 0) {
      settings.put("maxVirtualSeconds", b.maxVirtualNs() / 1e9);
    } else {
      settings.putNull("maxVirtualSeconds");
    }
    settings.put("plainLoopEventsPerRun", BenchWorkloads.PLAIN_EVENTS);
    Row plain = b.plain();
    ObjectNode p = root.putObject("plainLoop");
    p.put("eventsPerRun", plain.eventsPerRun());
    put(p, "eventsPerSecond", BenchStats.of(plain.timings(), Timing::eventsPerSecond));
    put(p, "bytesPerEvent", BenchStats.of(plain.timings(), Timing::bytesPerEvent));
    timings(p.putArray("timings"), plain.timings());
    ArrayNode workloads = root.putArray("workloads");
    for (Row w : b.workloads()) {
      ObjectNode o = workloads.addObject();
      o.put("name", w.name());
      o.put("file", w.file());
      o.put("eventsPerRun", w.eventsPerRun());
      o.put("virtualSecondsPerRun", w.virtualSecondsPerRun());
      put(o, "eventsPerSecond", BenchStats.of(w.timings(), Timing::eventsPerSecond));
      put(o, "virtualPerWall", BenchStats.of(w.timings(), Timing::virtualPerWall));
      put(o, "vsPlainLoop", BenchStats.vsPlain(w.timings(), plain.timings()));
      put(o, "bytesPerEvent", BenchStats.of(w.timings(), Timing::bytesPerEvent));
      putShare(o, w.timings());
      timings(o.putArray("timings"), w.timings());
    }
    List<Timing> together = b.together();
    ObjectNode all = root.putObject("all");
    put(all, "eventsPerSecond", BenchStats.of(together, Timing::eventsPerSecond));
    put(all, "vsPlainLoop", BenchStats.vsPlain(together, plain.timings()));
    put(all, "bytesPerEvent", BenchStats.of(together, Timing::bytesPerEvent));
    putShare(all, together);
    return mapper.writeValueAsString(root);
  }

  private static void put(ObjectNode o, String field, Spread s) {
    ObjectNode n = o.putObject(field);
    for (String k : new String[] {"median", "min", "max"}) {
      double v = k.equals("median") ? s.median() : k.equals("min") ? s.min() : s.max();
      if (Double.isNaN(v)) {
        n.putNull(k);
      } else {
        n.put(k, v);
      }
    }
  }

  private static void timings(ArrayNode a, List<Timing> timings) {
    for (Timing t : timings) {
      ObjectNode o = a.addObject();
      o.put("round", t.round());
      o.put("runs", t.runs());
      o.put("events", t.events());
      o.put("virtualNs", t.virtualNs());
      o.put("wallNs", t.wallNs());
      if (t.allocatedBytes() < 0) {
        o.putNull("allocatedBytes");
      } else {
        o.put("allocatedBytes", t.allocatedBytes());
      }
      if (t.mailboxEvents() < 0) {
        o.putNull("mailboxEvents");
      } else {
        o.put("mailboxEvents", t.mailboxEvents());
      }
    }
  }
}
