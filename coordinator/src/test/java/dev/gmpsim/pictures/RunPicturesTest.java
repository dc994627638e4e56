package dev.gmpsim.pictures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gmpsim.model.TraceRecorder;
import dev.gmpsim.protocol.result.RunOptions;
import dev.gmpsim.protocol.result.RunResult;
import dev.gmpsim.protocol.result.RunSummary;
import dev.gmpsim.protocol.scenario.Scenario;
import dev.gmpsim.protocol.scenario.ScenarioLoader;
import dev.gmpsim.run.Simulation;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** trace.json and threads.svg of real runs: format, agreement with the run's counters, content. */
class RunPicturesTest {
  static final Path EXAMPLES =
      Files.isDirectory(Path.of("examples")) ? Path.of("examples") : Path.of("..", "examples");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern RUNNING_G = Pattern.compile("G\\d+( .+)?");

  static Scenario example(String name, long duration) throws Exception {
    Scenario s = ScenarioLoader.load(EXAMPLES.resolve(name));
    return duration > 0 ? s.withDuration(duration) : s;
  }

  record Traced(RunResult result, TraceRecorder trace) {}

  static Traced run(Scenario s, long from, long to, long max) {
    TraceRecorder t = RunPictures.recorder(from, to, max);
    RunResult r = Simulation.runLocally(s, RunOptions.seed(s.seed()), t);
    return new Traced(r, t);
  }

  static JsonNode traceJson(Path dir, Traced t) throws Exception {
    RunPictures.write(dir, t.result(), List.of(), t.trace());
    return JSON.readTree(dir.resolve(RunPictures.TRACE_JSON).toFile());
  }

  static long ns(JsonNode ts) {
    return ts.decimalValue().movePointRight(3).longValueExact();
  }

  /** The checks every trace.json must pass, whatever the run: the documented format. */
  static void checkFormat(JsonNode root) {
    assertTrue(root.get("traceEvents").isArray());
    assertTrue(root.get("otherData").isObject());
    Map<String, Long> lastTs = new HashMap<>();
    for (JsonNode e : root.get("traceEvents")) {
      String ph = e.get("ph").asText();
      assertTrue(Set.of("M", "X", "i", "C").contains(ph), "phase " + ph + " in " + e);
      assertTrue(e.get("name").isTextual(), e.toString());
      assertTrue(e.get("pid").isInt(), e.toString());
      if (ph.equals("M")) {
        continue;
      }
      assertTrue(e.get("ts").isNumber(), e.toString());
      if (ph.equals("X")) {
        assertTrue(e.get("dur").isNumber() && ns(e.get("dur")) >= 0, "every slice has ts and dur: " + e);
      }
      // Per track (pid, tid; a counter per name) timestamps never go back.
      String track = ph.equals("C") ? "C " + e.get("name").asText()
          : e.get("pid").asInt() + "/" + e.path("tid").asInt();
      long ts = ns(e.get("ts"));
      Long before = lastTs.put(track, ts);
      assertTrue(before == null || before <= ts, "track " + track + " goes back in time at " + e);
    }
  }

  static List<JsonNode> events(JsonNode root, String ph, String cat) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode e : root.get("traceEvents")) {
      if (e.get("ph").asText().equals(ph) && (cat == null || cat.equals(e.path("cat").asText()))) {
        out.add(e);
      }
    }
    return out;
  }

  static long instants(JsonNode root, String name) {
    return events(root, "i", "instant").stream().filter(e -> e.get("name").asText().equals(name)).count();
  }

  @Test
  void workloadCTraceAgreesWithTheRunsCountersInTheWindow(@TempDir Path tmp) throws Exception {
    // The summary counts after the warm-up (500ms): a window from there to the end sees the same.
    Scenario s = example("workload-c-cgo.yaml", 1_200_000_000L);
    Traced t = run(s, s.warmup(), Long.MAX_VALUE, 2_000_000);
    JsonNode root = traceJson(tmp, t);
    checkFormat(root);
    RunSummary sum = t.result().summary();
    assertEquals(0, root.at("/otherData/events_left_out").asLong());
    assertFalse(root.at("/otherData/truncated").asBoolean());

    List<JsonNode> sys = new ArrayList<>(events(root, "X", "syscall"));
    sys.removeIf(e -> e.at("/args/began_before_window").asBoolean());
    List<JsonNode> cgo = new ArrayList<>(events(root, "X", "cgo"));
    cgo.removeIf(e -> e.at("/args/began_before_window").asBoolean());
    assertTrue(sum.cgoCalls() > 1000, "a cgo storm: " + sum.cgoCalls());
    assertEquals(sum.cgoCalls(), cgo.size(), "one cgo slice per cgo call in the window");
    // summary.syscalls counts every kernel entry, cgo calls included.
    assertEquals(sum.syscalls(), sys.size() + cgo.size(), "one slice per syscall in the window");
    assertEquals(sum.syscallTable().get("read").calls(), sys.stream().filter(e -> e.get("name").asText().equals("read")).count());
    assertEquals(sum.retakes(), instants(root, "retake"));
    assertEquals(sum.handoffs(), instants(root, "handoffp"));
    assertEquals(sum.scheduler().stopms(), instants(root, "stopm"));
    assertEquals(sum.scheduler().preemptions(), instants(root, "preempt"));
    assertEquals(sum.ms().created(), instants(root, "newm"));
    assertEquals(sum.exitsyscall().slow(), instants(root, "exitsyscall0"));

    // Tracks: named Ms and Ps; running slices named after the goroutine and its group.
    Set<String> names = new HashSet<>();
    for (JsonNode m : events(root, "M", null)) {
      if (m.get("name").asText().equals("thread_name")) {
        names.add(m.at("/args/name").asText());
      }
    }
    assertTrue(names.containsAll(List.of("M0 (m0, main thread)", "M1 (sysmon)", "P0", "P1", "P2", "P3")), names.toString());
    List<JsonNode> running = events(root, "X", "running");
    assertFalse(running.isEmpty());
    running.forEach(e -> assertTrue(RUNNING_G.matcher(e.get("name").asText()).matches(), e.toString()));
    assertTrue(running.stream().anyMatch(e -> e.get("name").asText().endsWith(" connections")), "group names");
    for (String cat : List.of("spinning", "idle", "p-running", "p-syscall")) {
      assertFalse(events(root, "X", cat).isEmpty(), cat + " slices");
    }
    Set<String> counters = new HashSet<>();
    events(root, "C", null).forEach(e -> counters.add(e.get("name").asText()));
    assertTrue(counters.containsAll(List.of("threads", "idle Ps", "global run queue", "run queue P0")), counters.toString());
    // Slices on one M never overlap except by nesting (an in-line syscall inside its G's slice).
    checkNesting(root);
  }

  private static void checkNesting(JsonNode root) {
    Map<String, List<long[]>> stacks = new HashMap<>();
    for (JsonNode e : events(root, "X", null)) {
      String track = e.get("pid").asInt() + "/" + e.get("tid").asInt();
      long a = ns(e.get("ts"));
      long b = a + ns(e.get("dur"));
      List<long[]> stack = stacks.computeIfAbsent(track, k -> new ArrayList<>());
      while (!stack.isEmpty() && stack.get(stack.size() - 1)[1] <= a) {
        stack.remove(stack.size() - 1);
      }
      if (!stack.isEmpty()) {
        assertTrue(b <= stack.get(stack.size() - 1)[1], "slice " + e + " overlaps its parent on " + track);
      }
      stack.add(new long[] {a, b});
    }
  }

  @Test
  void theWindowAndTheCapAreHonouredAndTheCapSaysSo(@TempDir Path tmp) throws Exception {
    Scenario s = example("workload-c-cgo.yaml", 1_000_000_000L);
    long from = 600_000_000L;
    long to = 700_000_000L;
    JsonNode root = traceJson(tmp.resolve("w"), run(s, from, to, 10_000_000));
    checkFormat(root);
    assertEquals("600ms..700ms", root.at("/otherData/window").asText());
    for (JsonNode e : root.get("traceEvents")) {
      if (e.has("ts")) {
        long ts = ns(e.get("ts"));
        assertTrue(ts >= from && ts <= to + 1_000_000, "in the window: " + e);
        if (e.get("ph").asText().equals("X") && !e.at("/args/ends_after_window").asBoolean()) {
          assertTrue(ts + ns(e.get("dur")) <= to + 1_000_000, "ends in the window: " + e);
        }
      }
    }
    long all = root.at("/otherData/events").asLong();
    assertTrue(all > 5_000, "a busy 100ms: " + all);

    JsonNode capped = traceJson(tmp.resolve("c"), run(s, from, to, 2_000));
    checkFormat(capped);
    assertEquals(2_000, capped.at("/otherData/events").asLong());
    assertTrue(capped.at("/otherData/truncated").asBoolean());
    assertEquals(all - 2_000, capped.at("/otherData/events_left_out").asLong(), "what the cap left out is counted");
    assertTrue(capped.at("/otherData/note").asText().contains("left out"), capped.at("/otherData").toString());
    assertTrue(events(capped, "i", "gmpsim").get(0).get("name").asText().startsWith("trace cap reached"));
  }

  @Test
  void lockedThreadsAreNamedSoAndTracingChangesNothingInTheRun(@TempDir Path tmp) throws Exception {
    Scenario s = example("workload-d-lockosthread.yaml", 300_000_000L);
    Traced t = run(s, 0, Long.MAX_VALUE, 1_000_000);
    RunResult plain = Simulation.runLocally(s, RunOptions.seed(s.seed()));
    assertEquals(JSON.writeValueAsString(plain.summary()), JSON.writeValueAsString(t.result().summary()));
    assertEquals(plain.timeseriesCsv(), t.result().timeseriesCsv());
    JsonNode root = traceJson(tmp, t);
    checkFormat(root);
    long locked = events(root, "M", null).stream()
        .filter(m -> m.at("/args/name").asText().matches("M\\d+ \\(locked\\)")).count();
    assertTrue(locked >= 90, "100 goroutines lock their threads (most within 300ms): " + locked);
    assertFalse(events(root, "X", "locked-wait").isEmpty());
  }

  @Test
  void theSameSeedGivesTheSameBytesOfBothFiles(@TempDir Path tmp) throws Exception {
    Scenario s = example("workload-e-bursty.yaml", 600_000_000L);
    for (String d : List.of("a", "b")) {
      Traced t = run(s, 0, Long.MAX_VALUE, 1_000_000);
      RunPictures.write(tmp.resolve(d), t.result(), s.faults(), t.trace());
    }
    for (String f : List.of(RunPictures.THREADS_SVG, RunPictures.TRACE_JSON)) {
      assertArrayEquals(Files.readAllBytes(tmp.resolve("a").resolve(f)), Files.readAllBytes(tmp.resolve("b").resolve(f)), f);
    }
  }

  static Document svg(Path file) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(Files.readAllBytes(file)));
  }

  static List<String> texts(Document d) {
    List<String> out = new ArrayList<>();
    NodeList n = d.getElementsByTagNameNS("*", "text");
    for (int i = 0; i < n.getLength(); i++) {
      out.add(n.item(i).getTextContent());
    }
    return out;
  }

  @Test
  void threadsSvgHasTitleAxesLegendAndShadedFaultWindows(@TempDir Path tmp) throws Exception {
    Scenario s = example("faults/sysmon-stall.yaml", 1_500_000_000L);
    RunResult r = Simulation.runLocally(s, RunOptions.seed(s.seed()));
    RunPictures.write(tmp, r, s.faults(), null);
    assertFalse(Files.exists(tmp.resolve(RunPictures.TRACE_JSON)), "no recorder, no trace.json");
    Document d = svg(tmp.resolve(RunPictures.THREADS_SVG));
    assertEquals("svg", d.getDocumentElement().getLocalName());
    List<String> texts = texts(d);
    assertTrue(texts.contains("sysmon-stall: threads over virtual time"), texts.toString());
    assertTrue(texts.stream().anyMatch(t -> t.startsWith("Go 1.22 rules, GOMAXPROCS=4, seed 1")), texts.toString());
    assertTrue(texts.contains("virtual time (ms)"), texts.toString());
    assertTrue(texts.contains("threads, goroutines (count)") && texts.contains("Ps, Ms (count)"), texts.toString());
    for (String series : ThreadsChart.SERIES) {
      assertTrue(texts.contains(series), "legend entry " + series + " in " + texts);
    }
    assertTrue(texts.stream().anyMatch(t -> t.startsWith("shaded: fault ")), texts.toString());
    String raw = Files.readString(tmp.resolve(RunPictures.THREADS_SVG));
    assertTrue(raw.contains("fill:rgb(227,26,28)") || raw.contains("fill: rgb(227,26,28)"), "the fault window is shaded");

    // Without faults there is no shading.
    Scenario plain = s.withFaults(List.of());
    RunPictures.write(tmp.resolve("plain"), Simulation.runLocally(plain, RunOptions.seed(1)), plain.faults(), null);
    String noFaults = Files.readString(tmp.resolve("plain").resolve(RunPictures.THREADS_SVG));
    assertFalse(noFaults.contains("rgb(227,26,28)"));
    assertFalse(texts(svg(tmp.resolve("plain").resolve(RunPictures.THREADS_SVG))).stream().anyMatch(t -> t.startsWith("shaded: fault ")));
  }
}
