package dev.gmpsim.cli;

import dev.gmpsim.protocol.scenario.Group;
import dev.gmpsim.protocol.scenario.Nanos;
import dev.gmpsim.protocol.scenario.Scenario;
import dev.gmpsim.protocol.scenario.ScenarioException;
import dev.gmpsim.protocol.scenario.ScenarioLibrary;
import dev.gmpsim.protocol.scenario.ScenarioLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gmpsim.sweep.SweepLoader;
import dev.gmpsim.sweep.SweepPlan;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** gmpsim validate: checks scenario, sweep and include files without running them. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = "Check scenario, sweep and include files: one line per file, 'ok' or the first mistake with its file, line, column and key.")
final class ValidateCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILE", arity = "1..*", description = "Scenario, sweep or include (library) files (YAML).")
  List<Path> files;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int bad = 0;
    for (Path f : files) {
      try {
        JsonNode root = tree(f);
        if (isSweep(root)) {
          SweepPlan plan = SweepLoader.load(f);
          out.printf("%s: ok (sweep %s: %s, %s)%n", f, plan.name(), count(plan.runs().size(), "run"),
              count(plan.parameters().size(), "parameter"));
          continue;
        }
        if (isLibrary(root)) {
          ScenarioLibrary lib = ScenarioLoader.read(f.toString(), ScenarioLoader.text(f), ScenarioLibrary.class);
          out.printf("%s: ok (a library for include: %s, %s, %s)%n", f, count(lib.steps().size(), "step list"),
              count(lib.semaphores().size(), "semaphore"), count(lib.include().size(), "include"));
          continue;
        }
        Scenario s = ScenarioLoader.load(f);
        long goroutineGroups = s.workload().stream().filter(g -> g.kind() == Group.Kind.GOROUTINES).count();
        out.printf("%s: ok (%s: GOMAXPROCS=%d, go %s, %s, %s%s)%n", f, s.name(),
            s.runtime().gomaxprocs(), s.runtime().goVersion(), Nanos.format(s.duration()),
            count(s.workload().size(), "group"), goroutineGroups == s.workload().size() ? "" : ", with requests");
      } catch (ScenarioException e) {
        err.println("gmpsim: " + e.getMessage());
        bad++;
      }
    }
    out.flush();
    return bad == 0 ? ExitCodes.OK : ExitCodes.USAGE;
  }

  private static String count(long n, String thing) {
    return n + " " + thing + (n == 1 ? "" : "s");
  }

  /** The file as a YAML tree, or null when it cannot be read as one (the loader says why). */
  private static JsonNode tree(Path f) {
    try {
      JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(f.toFile());
      return root != null && root.isObject() ? root : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** A file to include: named steps or semaphores, and no workload or runtime of its own. */
  private static boolean isLibrary(JsonNode root) {
    return root != null && !root.has("workload") && !root.has("runtime")
        && (root.has("steps") || root.has("semaphores") || root.has("include"));
  }

  /** A sweep file says where its scenario comes from (base or scenario) and what it varies. */
  private static boolean isSweep(JsonNode root) {
    return root != null
        && (root.has("base") || root.has("parameters") || (root.has("scenario") && !root.has("workload")));
  }
}
