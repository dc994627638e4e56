package dev.gmpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gmpsim sweep's report and --keep-runs, gmpsim report, and gmpsim serve's refusals. */
class ReportCliTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aSweepEndsWithItsReportAndKeepsRunsOnlyWhenAsked(@TempDir Path tmp) throws Exception {
    Path kept = tmp.resolve("kept");
    CliTest.Result r = CliTest.run("sweep", ReportBrowserTest.SWEEP.toString(), "--out", kept.toString(),
        "--keep-runs", "--parallelism", "2");
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(r.out().contains("report: " + kept.resolve("report.html")), r.out());
    List<String> lines = Files.readAllLines(kept.resolve("results.jsonl"));
    assertEquals(12, lines.size());
    String html = Files.readString(kept.resolve("report.html"));
    for (String l : lines) {
      JsonNode row = JSON.readTree(l);
      Path run = kept.resolve("runs").resolve(row.get("id").asText());
      // The files of run --out, the same summary as the row's.
      assertTrue(Files.exists(run.resolve("timeseries.csv")), run.toString());
      JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
      assertEquals(row.get("summary"), summary);
      // Its picture is kept too (trace.json needs the run's own JVM) and the report links it.
      assertTrue(Files.exists(run.resolve("threads.svg")), run.toString());
      assertFalse(Files.exists(run.resolve("trace.json")), run.toString());
      assertTrue(html.contains("runs/" + row.get("id").asText() + "/threads.svg"), "linked");
    }

    // Off by default: no runs/ folder, no links.
    Path plain = tmp.resolve("plain");
    r = CliTest.run("sweep", ReportBrowserTest.SWEEP.toString(), "--out", plain.toString(), "--parallelism", "2");
    assertEquals(0, r.code(), r.err() + r.out());
    assertFalse(Files.exists(plain.resolve("runs")));
    assertTrue(Files.exists(plain.resolve("report.html")));
    assertFalse(Files.readString(plain.resolve("report.html")).contains("/summary.json\""));

    // gmpsim report writes the same page again, and marks a partial sweep.
    byte[] before = Files.readAllBytes(plain.resolve("report.html"));
    Files.delete(plain.resolve("report.html"));
    r = CliTest.run("report", plain.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals("report: " + plain.resolve("report.html") + " (12 runs)\n", r.out());
    assertEquals(new String(before), Files.readString(plain.resolve("report.html")), "the same bytes");

    Path cut = tmp.resolve("cut");
    Files.createDirectories(cut);
    Files.write(cut.resolve("results.jsonl"), lines.subList(0, 3));
    String manifest = Files.readString(kept.resolve("sweep.json")).replace("\"complete\"", "\"interrupted\"");
    Files.writeString(cut.resolve("sweep.json"), manifest);
    r = CliTest.run("report", cut.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals("report: " + cut.resolve("report.html") + " (partial: 3 of 12 runs, interrupted)\n", r.out());
    assertTrue(Files.readString(cut.resolve("report.html")).contains("\"partial\":true"));
  }

  @Test
  void badFoldersAreOneLineAndExitCode2(@TempDir Path tmp) throws Exception {
    Path missing = tmp.resolve("missing");
    for (String cmd : new String[] {"report", "serve"}) {
      CliTest.Result r = cmd.equals("serve") ? CliTest.run(cmd, missing.toString(), "--port=0")
          : CliTest.run(cmd, missing.toString());
      assertEquals(2, r.code(), cmd + ": " + r.err());
      assertEquals("gmpsim: " + missing + ": no such folder\n", r.err());
      assertEquals("", r.out());
    }
    CliTest.Result r = CliTest.run("report", tmp.toString());
    assertEquals(2, r.code());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains("holds no sweep"), r.err());
    assertFalse(Files.exists(tmp.resolve("report.html")), "nothing written");
    Files.writeString(tmp.resolve("sweep.json"), "{\"name\":\"x\",\"status\":\"running\",\"runs\":3}");
    Files.writeString(tmp.resolve("results.jsonl"), "");
    r = CliTest.run("report", tmp.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("no results yet"), r.err());
    assertFalse(Files.exists(tmp.resolve("report.html")), "nothing written");
    r = CliTest.run("serve", tmp.toString(), "--port", "70000");
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("gmpsim: --port: 70000 is not a port"), r.err());
    r = CliTest.run("serve", tmp.toString(), "--bind", "no-such-host.invalid", "--port", "0");
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("gmpsim: --bind: cannot resolve"), r.err());
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      r = CliTest.run("serve", tmp.toString(), "--port", String.valueOf(taken.getLocalPort()));
      assertEquals(2, r.code());
      assertEquals(1, r.err().lines().count(), r.err());
      assertTrue(r.err().contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()), r.err());
    }
  }
}
