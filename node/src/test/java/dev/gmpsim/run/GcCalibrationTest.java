package dev.gmpsim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import dev.gmpsim.protocol.result.RunSummary;
import dev.gmpsim.protocol.scenario.Scenario;
import dev.gmpsim.protocol.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The GC's cycle count against real Go 1.19 (collect.sh section q: runtime.MemStats.NumGC printed
 * by programs/network, in real-go-1.19-ops.tsv) for the allocating handlers' mirrors, and their
 * thread counts within the calibration tolerance of every real run.
 */
class GcCalibrationTest {
  static ActorSystem<Void> system;

  @BeforeAll
  static void setUp() {
    system = ActorSystem.create(Behaviors.empty(), "gc-calibration", Simulation.quietConfig());
  }

  @AfterAll
  static void tearDown() {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().join();
  }

  static List<Long> realCycles(String params) throws Exception {
    Path tsv = CalibrationMirrorsTest.calibration().resolve("real-go-1.19-ops.tsv");
    Pattern gc = Pattern.compile("gc_cycles=(\\d+)");
    List<Long> out = new ArrayList<>();
    for (String line : Files.readAllLines(tsv)) {
      String[] f = line.split("\t");
      if (f.length > 4 && f[0].equals("network") && f[1].equals(params)) {
        Matcher m = gc.matcher(f[4]);
        if (m.find()) {
          out.add(Long.parseLong(m.group(1)));
        }
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "network-k100-r10000-readfile-gogc100, k=100 rate=10000 work=20us readfile=4KB gogc=100",
    "network-k100-r10000-readfile-gogcoff, k=100 rate=10000 work=20us readfile=4KB gogc=off",
    "network-k100-r10000-alloc16k-gogc50, k=100 rate=10000 work=20us readfile=4KB alloc=16KB gogc=50",
    "network-k100-r10000-alloc16k-gogc100, k=100 rate=10000 work=20us readfile=4KB alloc=16KB gogc=100",
    "network-k100-r10000-alloc16k-gogc400, k=100 rate=10000 work=20us readfile=4KB alloc=16KB gogc=400",
  })
  void cyclesAndThreadsMatchRealGo119(String mirror, String params) throws Exception {
    List<Long> cycles = realCycles(params);
    assertEquals(3, cycles.size(), "three real runs of " + params);
    List<Integer> peaks = RealGoCalibrationTest.realPeaks("network", params, 2);
    assertFalse(peaks.isEmpty());
    Scenario sc = ScenarioLoader.load(CalibrationMirrorsTest.calibration().resolve("scenarios").resolve(mirror + ".yaml"));
    RunSummary s = Simulation.run(system, sc, CalibrationMirrorsTest.options(sc)).summary();
    assertEquals("ok", s.outcome());
    long model = s.gc() == null ? 0 : s.gc().cycles();
    for (long real : cycles) {
      assertTrue(Math.abs(model - real) <= Math.max(1, 0.1 * real),
          mirror + ": model " + model + " GC cycles, real Go 1.19 " + cycles);
    }
    long peak = s.threads().peak();
    RealGoCalibrationTest.assertWithin(mirror, peak, peaks);
  }
}
