package dev.gmpsim.run;

import dev.gmpsim.protocol.result.RunOptions;
import dev.gmpsim.protocol.result.RunSummary;
import dev.gmpsim.protocol.scenario.Scenario;
import dev.gmpsim.protocol.scenario.ScenarioLoader;
import akka.actor.typed.ActorSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Finding, loading and running the scenario files under examples/ from the tests. */
final class ExampleFiles {
  /** Files with this suffix are libraries for {@code include:}, not scenarios. */
  static final String LIBRARY_SUFFIX = ".lib.yaml";

  private ExampleFiles() {}

  /** The repository's examples folder (tests run in node/). */
  static Path root() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path e = p.resolve("examples");
      if (Files.isDirectory(e) && Files.exists(e.resolve("workload-a-network.yaml"))) {
        return e;
      }
    }
    throw new IllegalStateException("examples/ not found above " + Path.of("").toAbsolutePath());
  }

  /** Every .yaml file under examples/, recursively, sorted. */
  static List<Path> all() throws Exception {
    try (Stream<Path> files = Files.walk(root())) {
      return files.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().endsWith(".yaml"))
          .sorted()
          .toList();
    }
  }

  /** examples/{@code relative}, loaded, run for {@code durationNs} of virtual time. */
  static Scenario load(String relative, long durationNs) {
    try {
      return ScenarioLoader.load(root().resolve(relative)).withDuration(durationNs);
    } catch (Exception e) {
      throw new IllegalStateException(relative + ": " + e.getMessage(), e);
    }
  }

  static RunSummary run(ActorSystem<?> system, Scenario s) {
    return Simulation.run(system, s, RunOptions.seed(s.seed())).summary();
  }

  static String describe(RunSummary s) {
    return s.scenario() + " [" + s.outcome() + "]: threads peak=" + s.threads().peak()
        + " final=" + s.threads().fin() + ", ms created=" + s.ms().created()
        + " destroyed=" + s.ms().destroyed() + ", retakes=" + s.retakes()
        + ", handoffs=" + s.handoffs() + ", cgoCalls=" + s.cgoCalls()
        + ", cgoOverheadNs=" + s.cgoOverheadNs()
        + ", sched p99=" + (s.schedLatencyNs() == null ? "-" : s.schedLatencyNs().p99())
        + ", request max=" + (s.requestLatencyNs() == null ? "-" : s.requestLatencyNs().max());
  }
}
