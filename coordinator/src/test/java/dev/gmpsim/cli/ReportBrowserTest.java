package dev.gmpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gmpsim.report.ReportServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The sweep report in a real browser: a small sweep (12 runs, 4 of them fatal: examples/sweeps/thread-limit.yaml) served by the
 * server of gmpsim serve and opened from disk, in headless Chromium. Screenshots go to
 * target/screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportBrowserTest {
  static final Path SWEEP = Path.of("../examples/sweeps/thread-limit.yaml");
  static final ObjectMapper JSON = new ObjectMapper();

  Path tmp;
  Path out;
  Browser browser;

  @BeforeAll
  void sweepAndBrowser(@TempDir Path dir) throws Exception {
    tmp = dir;
    if (Browser.missing() != null) {
      return; // each test is skipped (or fails in CI) in @BeforeEach, with the reason
    }
    browser = Browser.start(1900);
    out = tmp.resolve("out");
    CliTest.Result r = CliTest.run("sweep", SWEEP.toString(), "--out", out.toString(), "--keep-runs",
        "--parallelism", "2");
    assertEquals(0, r.code(), r.err() + r.out());
  }

  @BeforeEach
  void needsTheBrowser() {
    Browser.assumePresent();
  }

  @AfterAll
  void closeBrowser() throws Exception {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void theServedPageDrawsItsChartsAndSortsItsTable() throws Exception {
    try (ReportServer server = ReportServer.start(out, "127.0.0.1", 0)) {
      ChromeDriver d = browser.driver();
      d.get(server.url());
      checkPage(d);
      browser.screenshot("sweep-report-served");
      // Kept runs are linked, and the server hands out their files.
      List<WebElement> links = d.findElements(By.cssSelector("#runs tbody a"));
      assertEquals(12, links.size());
      assertTrue(links.get(0).getAttribute("href").endsWith("/threads.svg"), links.get(0).getAttribute("href"));
      d.get(links.get(0).getAttribute("href"));
      assertFalse(d.findElements(By.tagName("svg")).isEmpty(), "the kept run's threads.svg is served");
      assertEquals(List.of(), browser.severe(), "console errors");
    }
  }

  @Test
  void thePageWorksOpenedStraightFromDisk() throws Exception {
    ChromeDriver d = browser.driver();
    d.get(out.resolve("report.html").toAbsolutePath().toUri().toString());
    checkPage(d);
    browser.screenshot("sweep-report-file");
    assertEquals(List.of(), browser.severe(), "console errors");
  }

  @Test
  void aServedRunningSweepShowsNewRowsWithoutAReload() throws Exception {
    // A sweep still running: 5 of its 12 rows in, sweep.json saying so.
    Path live = tmp.resolve("live");
    Files.createDirectories(live);
    List<String> lines = Files.readAllLines(out.resolve("results.jsonl"));
    Files.write(live.resolve("results.jsonl"), lines.subList(0, 5));
    ObjectNode m = (ObjectNode) JSON.readTree(out.resolve("sweep.json").toFile());
    m.put("status", "running").put("results", 5).remove("finished");
    Files.writeString(live.resolve("sweep.json"), m.toPrettyString());
    try (ReportServer server = ReportServer.start(live, "127.0.0.1", 0)) {
      ChromeDriver d = browser.driver();
      d.get(server.url());
      waitForRows(d, 5);
      d.executeScript("window.notReloaded = true;");
      assertTrue(d.findElement(By.id("status")).getText().contains("partial"));
      Files.writeString(live.resolve("results.jsonl"), lines.get(5) + "\n", StandardOpenOption.APPEND);
      waitForRows(d, 6);
      assertEquals(Boolean.TRUE, d.executeScript("return window.notReloaded === true;"), "the page was reloaded");
      assertTrue(d.findElement(By.id("facts")).getText().contains("6 of 12 done"), d.findElement(By.id("facts")).getText());
      browser.screenshot("sweep-report-live");
      assertEquals(List.of(), browser.severe(), "console errors");
    }
  }

  private static void waitForRows(ChromeDriver d, int n) {
    new WebDriverWait(d, Duration.ofSeconds(30)).until(x -> d.findElements(By.cssSelector("#runs tbody tr")).size() == n);
  }

  /** Charts drawn with the series expected, the table sorted by a click. */
  @SuppressWarnings("unchecked")
  private static void checkPage(ChromeDriver d) {
    new WebDriverWait(d, Duration.ofSeconds(30)).until(x -> d.executeScript("return !!window.gmpsimReport;"));
    // Line chart: threads.peak against GOMAXPROCS, a line per thread limit (24, 10000), and the fatal runs.
    List<Map<String, Object>> series = (List<Map<String, Object>>) d.executeScript(
        "return echarts.getInstanceByDom(document.getElementById('line-chart')).getOption().series"
            + ".map(function (s) { return {type: s.type, name: s.name, n: s.data.length}; });");
    assertEquals(2, series.stream().filter(s -> s.get("type").equals("line")).count(), series.toString());
    assertTrue(series.stream().anyMatch(s -> s.get("name").equals("fatal runs") && ((Number) s.get("n")).intValue() == 4),
        series.toString());
    long paths = (Long) d.executeScript("return document.querySelectorAll('#line-chart svg path').length;");
    assertTrue(paths > 10, "line chart drawn: " + paths + " paths");
    // Heatmap: 3 x 2 cells over GOMAXPROCS and the thread limit.
    Long cells = (Long) d.executeScript(
        "var s = echarts.getInstanceByDom(document.getElementById('heat-chart')).getOption().series;"
            + "return s[0].data.length + s[1].data.length;");
    assertEquals(6L, cells);
    assertTrue((Long) d.executeScript("return document.querySelectorAll('#heat-chart svg path').length;") > 4);
    assertEquals(12, d.findElements(By.cssSelector("#runs tbody tr")).size());
    assertEquals(4, d.findElements(By.cssSelector("#runs tbody tr.kind-fatal")).size());

    // Sorting by threads.peak reorders the rows, ascending then descending.
    int col = columnIndex(d, "threads.peak");
    List<Long> before = column(d, col);
    d.findElement(By.cssSelector("#runs th[data-key='m:threads.peak']")).click();
    List<Long> asc = column(d, col);
    List<Long> sorted = new ArrayList<>(before);
    sorted.sort(null);
    assertEquals(sorted, asc);
    assertNotEquals(before, asc, "the sweep's order is not already sorted by threads.peak");
    d.findElement(By.cssSelector("#runs th[data-key='m:threads.peak']")).click();
    List<Long> desc = column(d, col);
    sorted.sort(java.util.Comparator.reverseOrder());
    assertEquals(sorted, desc);

    // The filter keeps the rows that match.
    WebElement filter = d.findElement(By.id("filter"));
    filter.sendKeys("fatal");
    assertEquals(4, d.findElements(By.cssSelector("#runs tbody tr")).size());
    filter.clear();
    d.executeScript("document.getElementById('filter').dispatchEvent(new Event('input'));");
    assertEquals(12, d.findElements(By.cssSelector("#runs tbody tr")).size());
    d.executeScript("window.scrollTo(0, 0);");
  }

  private static int columnIndex(ChromeDriver d, String label) {
    List<WebElement> th = d.findElements(By.cssSelector("#runs thead th"));
    for (int i = 0; i < th.size(); i++) {
      if (th.get(i).getText().replaceAll("[\\u25B2\\u25BC]", "").trim().equals(label)) {
        return i;
      }
    }
    throw new AssertionError("no column " + label);
  }

  private static List<Long> column(ChromeDriver d, int i) {
    List<Long> out = new ArrayList<>();
    for (WebElement tr : d.findElements(By.cssSelector("#runs tbody tr"))) {
      out.add(Long.parseLong(tr.findElements(By.tagName("td")).get(i).getText().replace(",", "")));
    }
    return out;
  }
}
