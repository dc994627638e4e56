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
 * The model against real Go 1.19 on this machine (calibration/real-go-1.19.tsv): the thread
 * count of calibration/programs/syscall, N goroutines looping on time.Now and a raw nanosleep(D)
 * through syscall.Syscall, GOMAXPROCS=2. The model's peak must lie within 20% (at least 2
 * threads) of the range the real runs measured.
 */
class RealGoCalibrationTest {
  static ActorSystem<Void> system;

  @BeforeAll
  static void setUp() {
    system = ActorSystem.create(Behaviors.empty(), "calibration", Simulation.quietConfig());
  }

  @AfterAll
  static void tearDown() {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().join();
  }

  /**
   * peak_threads of every real run of {@code case params} at {@code gomaxprocs} in every stored
   * Go 1.19 table (real-go-1.19.tsv and the -evening and -earlier ones): the same programs on
   * this VM at three times and on two kinds of host CPU, whose thread counts moved between them
   * by more than the tolerance (calibration/MEASUREMENTS.md, "One program, three measurements").
   */
  static List<Integer> realPeaks(String kase, String params, int gomaxprocs) throws Exception {
    Path dir = ExampleScenariosTest.examples().resolveSibling("calibration");
    List<Integer> out = new ArrayList<>();
    for (String table : List.of("real-go-1.19.tsv", "real-go-1.19-evening.tsv", "real-go-1.19-earlier.tsv")) {
      List<String> lines = Files.readAllLines(dir.resolve(table));
      List<String> header = List.of(lines.get(0).split("\t"));
      int c = header.indexOf("case");
      int p = header.indexOf("params");
      int g = header.indexOf("gomaxprocs");
      int peak = header.indexOf("peak_threads");
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.split("\t");
        if (f[c].equals(kase) && f[p].equals(params) && Integer.parseInt(f[g]) == gomaxprocs) {
          out.add(Integer.parseInt(f[peak]));
        }
      }
    }
    return out;
  }

  /** compare.py's rule: the model's peak within 20% (at least 2 threads) of the real runs' median. */
  static void assertWithin(String what, long peak, List<Integer> real) {
    List<Integer> sorted = real.stream().sorted().toList();
    int n = sorted.size();
    double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    assertTrue(Math.abs(peak - median) <= Math.max(2, 0.2 * median),
        what + ": model peak " + peak + " threads, real Go 1.19 runs " + real + " (median " + median + ")");
  }

  static Scenario syscallProgram(int n, String d) throws Exception {
    String yaml =
        "name: real-syscall-n" + n + "-" + d + "\n"
            + "runtime: {gomaxprocs: 2, go-version: \"1.19\"}\n"
            + "duration: 1s\n"
            + "workload:\n"
            + "  - kind: goroutines\n"
            + "    count: " + n + "\n"
            + "    steps:\n"
            + "      - loop:\n"
            + "          count: 0\n"
            + "          steps:\n"
            + "            - vdso: clock_gettime\n"
            + "            - syscall: {name: nanosleep, duration: " + d + "}\n";
    return ScenarioLoader.parse("calibration", yaml);
  }

  @ParameterizedTest(name = "n={0} d={1}")
  @CsvSource({"10, 1ms", "100, 10ms"})
  void blockingSyscallBurstMatchesRealGo119(int n, String d) throws Exception {
    List<Integer> real = realPeaks("syscall", "n=" + n + " d=" + d, 2);
    assertFalse(real.isEmpty(), "no real measurement for n=" + n + " d=" + d);
    int lo = real.stream().min(Integer::compare).orElseThrow();
    int hi = real.stream().max(Integer::compare).orElseThrow();
    long low = Math.round(lo - Math.max(2, 0.2 * lo));
    long high = Math.round(hi + Math.max(2, 0.2 * hi));
    Scenario sc = syscallProgram(n, d);
    RunSummary s = Simulation.run(system, sc, RunOptions.seed(sc.seed())).summary();
    assertEquals("ok", s.outcome());
    long peak = s.threads().peak();
    assertTrue(
        peak >= low && peak <= high,
        "model peak " + peak + " threads, real Go 1.19 " + real + " (allowed " + low + ".." + high + ")");
    assertEquals(s.threads().peak(), s.threads().fin(), "threads do not shrink (real: final = peak)");
    assertEquals(0, s.scheduler().templateThreads(), "runtime.main's internal lockOSThread starts none");
  }
}
