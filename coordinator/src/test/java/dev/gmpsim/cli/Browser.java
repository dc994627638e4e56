package dev.gmpsim.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * Headless Debian Chromium driven by Selenium through /usr/bin/chromedriver (nothing is
 * downloaded). Without Chromium the test is skipped with a message saying so, except in CI
 * ({@code CI=true}) or with {@code GMPSIM_REQUIRE_BROWSER=1}, where it fails instead.
 */
public final class Browser implements AutoCloseable {
  // -Dgmpsim.chromium=PATH and -Dgmpsim.chromedriver=PATH point elsewhere (and show the skip message with a wrong path).
  static final List<Path> CHROMIUM = System.getProperty("gmpsim.chromium") != null
      ? List.of(Path.of(System.getProperty("gmpsim.chromium")))
      : List.of(Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromium-browser"));
  static final Path CHROMEDRIVER = Path.of(System.getProperty("gmpsim.chromedriver", "/usr/bin/chromedriver"));
  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private final ChromeDriver driver;
  private final Path profile;

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /** Whether a missing browser fails the test (CI) rather than skipping it. */
  static boolean required() {
    return "true".equalsIgnoreCase(System.getenv("CI")) || "1".equals(System.getenv("GMPSIM_REQUIRE_BROWSER"));
  }

  /** Why there is no browser here, or null when there is one. */
  static String missing() {
    if (CHROMIUM.stream().anyMatch(Files::isExecutable) && Files.isExecutable(CHROMEDRIVER)) {
      return null;
    }
    return "no Chromium here (" + CHROMIUM.get(0) + " and " + CHROMEDRIVER
        + " are needed: apt-get install -y chromium chromium-driver)";
  }

  /**
   * Call before each test (@BeforeEach, so that every test is reported as skipped, with the
   * message, rather than a class with no tests): skips without a browser, or fails in CI.
   */
  public static void assumePresent() {
    String why = missing();
    if (why == null) {
      return;
    }
    if (required()) {
      Assertions.fail(why + "; CI=true or GMPSIM_REQUIRE_BROWSER=1 require the browser tests to run");
    }
    Assumptions.abort("browser test skipped: " + why);
  }

  /** A fresh headless Chromium with its own profile, 1280x{@code height} pixels. */
  public static Browser start(int height) throws IOException {
    return open(1280, height);
  }

  /**
   * A fresh headless Chromium with its own profile whose page is exactly {@code width} x
   * {@code height} pixels (--window-size counts the window, not the page).
   */
  public static Browser open(int width, int height) throws IOException {
    assumePresent();
    Path chromium = CHROMIUM.stream().filter(Files::isExecutable).findFirst().orElseThrow();
    // Selenium Manager would look for a driver online; the system's is given instead.
    System.setProperty("SE_AVOID_STATS", "true");
    Path profile = Files.createTempDirectory("gmpsim-chromium-");
    ChromeOptions o = new ChromeOptions();
    o.setBinary(chromium.toFile());
    o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=" + width + "," + height,
        "--hide-scrollbars", "--force-device-scale-factor=1");
    o.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    ChromeDriver d = new ChromeDriver(service, o);
    d.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60)).scriptTimeout(Duration.ofSeconds(30));
    d.executeCdpCommand("Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    return new Browser(d, profile);
  }

  public ChromeDriver driver() {
    return driver;
  }

  /** Saves what the window shows as target/screenshots/NAME (.png added when missing). */
  public Path screenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    Path to = SCREENSHOTS.resolve(name.endsWith(".png") ? name : name + ".png");
    Files.write(to, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    return to;
  }

  /** Console messages at SEVERE (script errors, failed loads) since the last call. */
  public List<String> severe() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::toString).toList();
  }

  @Override
  public void close() throws IOException {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> all = Files.walk(profile)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
