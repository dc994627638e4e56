package dev.gmpsim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import dev.gmpsim.protocol.result.RunOptions;
import dev.gmpsim.protocol.result.RunSummary;
import dev.gmpsim.protocol.scenario.Scenario;
import dev.gmpsim.protocol.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The OS's thread count against real Go 1.19 and 1.22 (calibration/os-threads-go-VERSION.tsv:
 * /proc/PID/status sampled every 20ms beside schedtrace). It differs from schedtrace's threads= in two ways the
 * model follows: a cgo binary's extra M is counted but has no thread (one fewer), and m0, wedged
 * when a goroutine exits locked to it, keeps its thread (one more).
 */
class OsThreadsCalibrationTest {
  static ActorSystem<Void> system;

  @BeforeAll
  static void setUp() {
    system = ActorSystem.create(Behaviors.empty(), "os-threads", Simulation.quietConfig());
  }

  @AfterAll
  static void tearDown() {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().join();
  }

  /** final_os_threads - final_threads and final_os_threads of each real run of the case. */
  static List<int[]> real(String go, String kase, String params, int gomaxprocs) throws Exception {
    Path tsv = ExampleScenariosTest.examples().resolveSibling("calibration").resolve("os-threads-go-" + go + ".tsv");
    List<String> lines = Files.readAllLines(tsv);
    List<String> header = List.of(lines.get(0).split("\t"));
    List<int[]> out = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split("\t");
      if (f[header.indexOf("case")].equals(kase) && f[header.indexOf("params")].equals(params)
          && Integer.parseInt(f[header.indexOf("gomaxprocs")]) == gomaxprocs) {
        int os = Integer.parseInt(f[header.indexOf("final_os_threads")]);
        int sched = Integer.parseInt(f[header.indexOf("final_threads")]);
        out.add(new int[] {os - sched, os});
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{4} go{0}")
  @CsvSource(delimiter = ';', value = {
      "1.19; idle; dur=2s; 1; idle-p1.yaml",
      "1.19; idle; dur=2s; 4; idle-p4.yaml",
      "1.19; idle_cgo; dur=2s; 1; idlecgo-p1.yaml",
      "1.19; idle_cgo; dur=2s; 2; idlecgo-p2.yaml",
      "1.19; idle_cgo; dur=2s; 4; idlecgo-p4.yaml",
      "1.19; lock; n=100 sleep=1s mode=keep; 2; lock-keep.yaml",
      "1.19; lock; n=100 sleep=1s mode=keep; 4; lock-keep-p4.yaml",
      "1.19; lock; n=100 sleep=1s mode=unlock; 2; lock-unlock.yaml",
      "1.19; lock; n=100 sleep=1s mode=hold; 2; lock-hold.yaml",
      // m0 wedged by the first locked goroutine to exit (programs/lockm0): one thread more.
      "1.19; lockm0; n=10 d=300ms; 1; lockm0-p1.yaml",
      "1.19; lockm0; n=10 d=300ms; 2; lockm0-p2.yaml",
      "1.22; lockm0; n=10 d=300ms; 1; lockm0-p1.yaml",
      "1.22; lockm0; n=10 d=300ms; 2; lockm0-p2.yaml"})
  void theOsCountDiffersFromSchedtracesAsInRealGo(String go, String kase, String params, int gmp, String mirror)
      throws Exception {
    List<int[]> runs = real(go, kase, params, gmp);
    assertFalse(runs.isEmpty(), "no real measurement of " + kase + " " + params);
    int realDiff = runs.get(0)[0];
    for (int[] r : runs) {
      assertEquals(realDiff, r[0], "real Go's difference is the same in every run");
    }
    Path file = ExampleScenariosTest.examples().resolveSibling("calibration").resolve("scenarios").resolve(mirror);
    Scenario sc = ScenarioLoader.parse(mirror,
        Files.readString(file).replace("go-version: \"1.19\"", "go-version: \"" + go + "\""));
    for (long seed = 1; seed <= 3; seed++) {
      RunSummary s = Simulation.run(system, sc, RunOptions.seed(seed)).summary();
      assertEquals("ok", s.outcome());
      long diff = s.threads().os().fin() - s.threads().schedtrace().fin();
      assertEquals(realDiff, diff, mirror + " seed " + seed + ": OS - schedtrace at the end");
      int lo = runs.stream().mapToInt(r -> r[1]).min().orElseThrow();
      int hi = runs.stream().mapToInt(r -> r[1]).max().orElseThrow();
      long os = s.threads().os().fin();
      assertTrue(os >= Math.round(lo - Math.max(2, 0.2 * lo)) && os <= Math.round(hi + Math.max(2, 0.2 * hi)),
          mirror + " seed " + seed + ": model OS threads " + os + ", real " + lo + ".." + hi);
    }
  }
}
