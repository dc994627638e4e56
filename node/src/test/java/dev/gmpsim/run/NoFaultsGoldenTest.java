package dev.gmpsim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gmpsim.protocol.scenario.Scenario;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A scenario without faults gives the same summary.json and schedtrace bytes as before fault
 * injection existed: the golden files were written by the commit before it (run with
 * -Dgmpsim.golden.write=true to write them again after a change that is meant to change results).
 */
class NoFaultsGoldenTest {
  @BeforeAll
  static void setUp() {
    DeterminismTest.setUp();
  }

  @AfterAll
  static void tearDown() {
    DeterminismTest.tearDown();
  }

  static Path golden(String name) {
    return ExampleScenariosTest.examples().getParent()
        .resolve("node/src/test/resources/golden").resolve(name);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"workload-b-file-io.yaml", "workload-c-cgo.yaml", "workload-e-bursty.yaml"})
  void aScenarioWithoutFaultsGivesTheBytesItGaveBeforeFaults(String file) throws Exception {
    Scenario s = DeterminismTest.example(file, 7);
    DeterminismTest.Output out = DeterminismTest.runAlone(s);
    String base = file.replace(".yaml", "");
    Path summary = golden(base + ".summary.json");
    // The schedtrace (with scheddetail) is tens of MB: its SHA-256 stands for it.
    Path trace = golden(base + ".schedtrace.sha256");
    String traceHash = sha256(out.schedtrace());
    if (Boolean.getBoolean("gmpsim.golden.write")) {
      Files.createDirectories(summary.getParent());
      Files.writeString(summary, out.summaryJson(), StandardCharsets.UTF_8);
      Files.writeString(trace, traceHash, StandardCharsets.UTF_8);
    }
    assertEquals(Files.readString(summary, StandardCharsets.UTF_8), out.summaryJson());
    assertEquals(Files.readString(trace, StandardCharsets.UTF_8), traceHash, "schedtrace bytes");
  }

  static String sha256(String text) throws Exception {
    byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    return java.util.HexFormat.of().formatHex(d);
  }
}
