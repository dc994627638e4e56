package dev.gmpsim.pictures;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium for browser tests, driven by Debian's chromedriver (Selenium Manager
 * downloads nothing: both paths are given). Outside CI a machine without Chromium skips the
 * test with a message; in CI (CI=true or GMPSIM_REQUIRE_BROWSER=1) it fails instead.
 */
public final class Browser implements AutoCloseable {
  public static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("GMPSIM_CHROMIUM", "/usr/bin/chromium"));
  public static final Path CHROMEDRIVER =
      Path.of(System.getenv().getOrDefault("GMPSIM_CHROMEDRIVER", "/usr/bin/chromedriver"));
  /** Where screenshots go, for people to look at (target/screenshots of the module). */
  public static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private final ChromeDriver driver;
  private final Path profile;

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /** True where a browser test must run rather than be skipped. */
  public static boolean required() {
    return "true".equalsIgnoreCase(System.getenv("CI")) || "1".equals(System.getenv("GMPSIM_REQUIRE_BROWSER"));
  }

  /** Skips the calling test (or fails it in CI) when Chromium or chromedriver is missing. */
  public static void assumeAvailable() {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    String why = "no browser: " + CHROMIUM + " and " + CHROMEDRIVER
        + " are needed (apt-get install -y chromium chromium-driver)";
    if (!present && required()) {
      fail(why + "; CI=true or GMPSIM_REQUIRE_BROWSER=1 makes this a failure, not a skip");
    }
    assumeTrue(present, why + "; test skipped");
  }

  /** A fresh headless Chromium with its own profile, {@code width} x {@code height} pixels. */
  public static Browser open(int width, int height) throws IOException {
    assumeAvailable();
    Path profile = Files.createTempDirectory("gmpsim-chromium");
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM.toFile());
    o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .build();
    ChromeDriver driver = new ChromeDriver(service, o);
    // The page gets exactly width x height (--window-size counts the window, not the page).
    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
        java.util.Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    return new Browser(driver, profile);
  }

  public ChromeDriver driver() {
    return driver;
  }

  /** Saves a PNG screenshot of the page as target/screenshots/{@code name}; returns its path. */
  public Path screenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    Path to = SCREENSHOTS.resolve(name);
    Files.write(to, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    return to;
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> all = Files.walk(profile)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // A temporary profile left behind is harmless.
      }
    }
  }
}
