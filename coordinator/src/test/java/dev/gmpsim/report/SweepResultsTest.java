package dev.gmpsim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one reader of sweep folders, and the page written from it. */
class SweepResultsTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void readsTheManifestAndEveryRowOfResultsJsonl(@TempDir Path tmp) throws Exception {
    SweepResults r = SweepResults.read(ReportFolders.folder(tmp.resolve("s"), "complete", 12), true);
    assertEquals("hand-made", r.name());
    assertEquals(List.of("runtime.gomaxprocs", "workload[0].think"), r.parameters());
    assertEquals(List.of("threads.peak", "retakes"), r.metrics());
    assertEquals(12, r.rows().size());
    assertFalse(r.partial());
    SweepResults.Row fatal = r.rows().get(3);
    assertEquals(SweepResults.Kind.FATAL, fatal.kind());
    assertEquals(13.0, fatal.metrics().get("threads.peak"));
    SweepResults.Row failed = r.rows().get(8);
    assertEquals(SweepResults.Kind.FAILED, failed.kind());
    assertNull(failed.metrics().get("threads.peak"));
    assertEquals("exp(250ms)", r.rows().get(2).parameters().get("workload[0].think"));
  }

  @Test
  void refreshReadsOnlyWholeLinesAppendedSinceAndStartsOverWhenTheFileIsReplaced(@TempDir Path tmp) throws Exception {
    Path dir = ReportFolders.folder(tmp.resolve("s"), "running", 5);
    SweepResults r = SweepResults.read(dir, true);
    assertTrue(r.partial());
    assertEquals(5, r.rows().size());
    List<String> all = ReportFolders.rows(12);
    // Half a line (being written): not a row yet.
    String sixth = all.get(5);
    Files.writeString(dir.resolve("results.jsonl"), sixth.substring(0, 20), StandardOpenOption.APPEND);
    assertEquals(5, r.refresh().rows().size());
    Files.writeString(dir.resolve("results.jsonl"), sixth.substring(20) + "\n", StandardOpenOption.APPEND);
    assertEquals(6, r.refresh().rows().size());
    assertEquals(0, r.generation());
    // A resume writes the file anew (and moves it into place): read from the start.
    Path tmpFile = dir.resolve(".results.jsonl.tmp");
    Files.write(tmpFile, all.subList(0, 3));
    Files.move(tmpFile, dir.resolve("results.jsonl"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertEquals(3, r.refresh().rows().size());
    assertEquals(1, r.generation());
  }

  @Test
  void resultsCsvAloneIsReadToo(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("csv");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("results.csv"), """
        id,runtime.gomaxprocs,seed,threads.peak,retakes,outcome,node,wall_ms,attempt
        a1,1,1,12,100,ok,n1,30,1
        a2,2,1,,,"error: a, b",n1,31,3
        """);
    SweepResults r = SweepResults.read(dir, true);
    assertTrue(r.fromCsv());
    assertEquals(List.of("runtime.gomaxprocs"), r.parameters());
    assertEquals(List.of("threads.peak", "retakes"), r.metrics());
    assertEquals(2, r.rows().size());
    assertEquals("error: a, b", r.rows().get(1).outcome());
    assertEquals(3, r.rows().get(1).attempt());
    assertEquals(12.0, r.rows().get(0).metrics().get("threads.peak"));
    assertTrue(r.partial(), "no sweep.json: not known to be complete");
  }

  @Test
  void aFolderWithNoResultsIsRefusedWithAMessage(@TempDir Path tmp) throws Exception {
    assertTrue(assertThrows(SweepResults.NotResults.class, () -> SweepResults.read(tmp.resolve("nope"), true))
        .getMessage().endsWith("nope: no such folder"));
    assertTrue(assertThrows(SweepResults.NotResults.class, () -> SweepResults.read(tmp, true))
        .getMessage().contains("holds no sweep"));
    Path started = ReportFolders.folder(tmp.resolve("started"), "running", 0);
    assertTrue(assertThrows(SweepResults.NotResults.class, () -> SweepResults.read(started, true))
        .getMessage().contains("no results yet"));
    assertEquals(0, SweepResults.read(started, false).rows().size(), "serve shows a sweep that just started");
  }

  @Test
  void parameterValuesAreOrderedByMagnitude() {
    assertEquals(List.of("1us", "3.162us", "10us", "1ms"), ValueOrder.sorted(List.of("1ms", "10us", "1us", "3.162us")));
    assertEquals(List.of("exp(250ms)", "exp(500ms)", "exp(1s)"),
        ValueOrder.sorted(List.of("exp(1s)", "exp(250ms)", "exp(500ms)")));
    assertEquals(List.of("500/s", "5k/s", "20k/s", "1M/s"), ValueOrder.sorted(List.of("20k/s", "1M/s", "500/s", "5k/s")));
    assertEquals(List.of("2", "8", "16", "{on: x}"), ValueOrder.sorted(List.of("16", "{on: x}", "2", "8")));
  }

  @Test
  void thePageInlinesItsDataSafelyAndIsTheSameEachTime(@TempDir Path tmp) throws Exception {
    Path dir = ReportFolders.folder(tmp.resolve("s"), "complete", 12);
    // An outcome that would end the script element if written as it is.
    List<String> rows = new java.util.ArrayList<>(ReportFolders.rows(12));
    rows.set(8, ReportFolders.row("00000000000evil1", 4, "exp(1s)", 1, "error: </script><script>alert(1)</script> & ü",
        null, null));
    Files.write(dir.resolve("results.jsonl"), rows);
    SweepResults r = SweepResults.read(dir, true);
    String html = ReportPage.html(r, false);
    assertEquals(html, ReportPage.html(SweepResults.read(dir, true), false), "same folder, same page");
    String data = between(html, "<script type=\"application/json\" id=\"gmpsim-data\">", "</script>");
    assertFalse(data.contains("<") || data.contains(">") || data.contains("&"), data);
    JsonNode d = JSON.readTree(data);
    assertEquals("error: </script><script>alert(1)</script> & ü", d.at("/rows/8/outcome").asText());
    assertEquals("failed", d.at("/rows/8/kind").asText());
    assertEquals("fatal", d.at("/rows/3/kind").asText());
    assertEquals(12, d.get("rows").size());
    assertEquals("[\"exp(250ms)\",\"exp(500ms)\",\"exp(1s)\"]", d.at("/paramValues/workload[0].think").toString());
    assertEquals("[1,2]", d.get("seeds").toString());
    assertFalse(d.get("partial").asBoolean());
    // ECharts and the page's script are in the file; nothing is loaded from elsewhere.
    assertTrue(html.contains("echarts"), "ECharts inlined");
    assertFalse(html.matches("(?s).*<script[^>]+src=.*"), "no external script");
    assertFalse(html.matches("(?s).*<link[^>]+stylesheet.*"), "no external stylesheet");
    assertFalse(html.contains("https://") && html.contains("fonts.googleapis"), "no web fonts");
    assertEquals(html, Files.readString(ReportPage.write(r)));
  }

  @Test
  void keptRunsAreLinkedByTheFilesTheyHave(@TempDir Path tmp) throws Exception {
    Path dir = ReportFolders.folder(tmp.resolve("s"), "complete", 12);
    String id0 = SweepResults.read(dir, true).rows().get(0).id();
    String id1 = SweepResults.read(dir, true).rows().get(1).id();
    Files.createDirectories(dir.resolve("runs").resolve(id0));
    Files.writeString(dir.resolve("runs").resolve(id0).resolve("summary.json"), "{}");
    Files.createDirectories(dir.resolve("runs").resolve(id1));
    Files.writeString(dir.resolve("runs").resolve(id1).resolve("summary.json"), "{}");
    Files.writeString(dir.resolve("runs").resolve(id1).resolve("threads.svg"), "<svg/>");
    Files.writeString(dir.resolve("runs").resolve(id1).resolve("trace.json"), "{}");
    JsonNode d = JSON.readTree(ReportPage.inline(ReportPage.data(SweepResults.read(dir, true), 0)));
    assertEquals("{\"summary\":\"runs/" + id0 + "/summary.json\"}", d.at("/rows/0/links").toString());
    assertEquals("{\"threads\":\"runs/" + id1 + "/threads.svg\",\"trace\":\"runs/" + id1 + "/trace.json\"}",
        d.at("/rows/1/links").toString());
    assertTrue(d.at("/rows/2/links").isMissingNode());
  }

  static String between(String s, String a, String b) {
    int i = s.indexOf(a) + a.length();
    return s.substring(i, s.indexOf(b, i));
  }
}
