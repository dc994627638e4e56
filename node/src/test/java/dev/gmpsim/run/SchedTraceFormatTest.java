package dev.gmpsim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import dev.gmpsim.protocol.result.RunOptions;
import dev.gmpsim.protocol.scenario.Scenario;
import dev.gmpsim.protocol.scenario.ScenarioLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * schedtrace and scheddetail lines have the shape real Go prints, version by version. The
 * reference lines were printed by Go 1.19.8 and Go 1.22.12 on this machine (calibration
 * programs under GODEBUG=schedtrace=100,scheddetail=1); a line's shape is the line with every
 * number replaced by N.
 */
class SchedTraceFormatTest {
  static ActorSystem<Void> system;

  private static final String[] GO119 = {
    "SCHED 1938ms: gomaxprocs=2 idleprocs=2 threads=4 spinningthreads=0 idlethreads=2 runqueue=0 [0 0]",
    "SCHED 0ms: gomaxprocs=2 idleprocs=0 threads=4 spinningthreads=1 idlethreads=0 runqueue=0 gcwaiting=0 nmidlelocked=1 stopwait=0 sysmonwait=0",
    "  P0: status=1 schedtick=0 syscalltick=0 m=3 runqsize=0 gfreecnt=0 timerslen=0",
    "  P1: status=0 schedtick=3 syscalltick=0 m=-1 runqsize=0 gfreecnt=0 timerslen=0",
    "  M3: p=0 curg=-1 mallocing=0 throwing=0 preemptoff= locks=0 dying=0 spinning=false blocked=false lockedg=-1",
    "  M0: p=-1 curg=-1 mallocing=0 throwing=0 preemptoff= locks=0 dying=0 spinning=false blocked=true lockedg=1",
    "  G1: status=4(sleep) m=-1 lockedm=-1",
  };

  private static final String[] GO122 = {
    "SCHED 108ms: gomaxprocs=2 idleprocs=2 threads=4 spinningthreads=0 needspinning=0 idlethreads=2 runqueue=0 [0 0]",
    "SCHED 0ms: gomaxprocs=2 idleprocs=0 threads=4 spinningthreads=1 needspinning=0 idlethreads=0 runqueue=0 gcwaiting=false nmidlelocked=1 stopwait=0 sysmonwait=false",
    "  P0: status=1 schedtick=0 syscalltick=0 m=3 runqsize=0 gfreecnt=0 timerslen=0",
    "  P1: status=0 schedtick=3 syscalltick=0 m=nil runqsize=0 gfreecnt=0 timerslen=0",
    "  M3: p=0 curg=nil mallocing=0 throwing=0 preemptoff= locks=1 dying=0 spinning=false blocked=false lockedg=nil",
    "  M0: p=nil curg=nil mallocing=0 throwing=0 preemptoff= locks=0 dying=0 spinning=false blocked=true lockedg=1",
    "  G1: status=1(chan receive) m=nil lockedm=0",
  };

  @BeforeAll
  static void setUp() {
    system = ActorSystem.create(Behaviors.empty(), "schedtrace-format", Simulation.quietConfig());
  }

  @AfterAll
  static void tearDown() {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().join();
  }

  /**
   * Numbers (and "no M/G/P": -1 or nil) to N, booleans to V, G wait reasons to R: what stays is
   * the keys, their order and the punctuation. How "none" is spelled is checked separately.
   */
  static String shape(String line) {
    String s = line.replaceAll("=(-1|nil)\\b", "=N").replaceAll("\\d+", "N");
    return s.replaceAll("=(true|false)", "=V").replaceAll("\\(.*\\) m=", "(R) m=");
  }

  static List<String> run(String goVersion, boolean detail) throws Exception {
    Scenario s = ScenarioLoader.parse("t.yaml", """
        runtime: {gomaxprocs: 2, go-version: "%s"}
        duration: 250ms
        workload:
          - kind: goroutines
            count: 3
            steps: [{sleep: 50ms}, {syscall: {name: read, duration: 2ms}}, lock-os-thread, {sleep: 100ms}]
        """.formatted(goVersion));
    String out = Simulation.run(system, s, RunOptions.seed(1).withSchedtrace(100_000_000L, detail)).schedtrace();
    return out.lines().toList();
  }

  @ParameterizedTest(name = "Go {0}")
  @ValueSource(strings = {"1.19", "1.22"})
  void everyLineHasTheShapeOfARealOne(String version) throws Exception {
    String[] real = version.equals("1.19") ? GO119 : GO122;
    List<String> shapes = new ArrayList<>();
    for (String r : real) {
      shapes.add(shape(r));
    }
    List<String> lines = new ArrayList<>(run(version, false));
    lines.addAll(run(version, true));
    assertTrue(lines.size() > 10, lines.toString());
    String wrongNone = version.equals("1.19") ? "=nil" : "=-1";
    String wrongBool = version.equals("1.19") ? "gcwaiting=false" : "gcwaiting=0";
    for (String line : lines) {
      assertTrue(shapes.contains(shape(line)), "Go " + version + " never prints a line shaped like:\n" + line);
      assertTrue(!line.contains(wrongNone) && !line.contains(wrongBool), "Go " + version + ": " + line);
    }
  }

  @ParameterizedTest(name = "Go {0}")
  @ValueSource(strings = {"1.19", "1.22"})
  void msAreListedNewestFirstAsAllmIs(String version) throws Exception {
    List<Integer> ids = new ArrayList<>();
    Pattern m = Pattern.compile("^  M(\\d+): ");
    for (String line : run(version, true)) {
      if (line.startsWith("SCHED") && !ids.isEmpty()) {
        break; // the first detail block only
      }
      Matcher x = m.matcher(line);
      if (x.find()) {
        ids.add(Integer.parseInt(x.group(1)));
      }
    }
    assertTrue(ids.size() >= 3, ids.toString());
    List<Integer> sorted = new ArrayList<>(ids);
    sorted.sort(java.util.Comparator.reverseOrder());
    assertEquals(sorted, ids);
  }
}
