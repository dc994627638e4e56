package dev.gmpsim.protocol.scenario;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One simulation: the runtime, the workload and how long to run it. A run is a pure function of
 * (scenario, seed, model version). See docs/scenarios.md for the file format.
 */
public record Scenario(
    String name,
    String description,
    RuntimeSpec runtime,
    @JsonDeserialize(using = NanosDeserializer.class) Long duration,
    @JsonDeserialize(using = NanosDeserializer.class) Long warmup,
    Long seed,
    Map<String, Integer> semaphores,
    List<Group> workload) {

  public Scenario {
    name = name == null ? "scenario" : name;
    description = description == null ? "" : description;
    runtime = runtime == null ? RuntimeSpec.DEFAULTS : runtime;
    duration = duration == null ? 10 * Nanos.S : duration;
    FieldException.require(duration > 0, "duration", "duration must be positive");
    warmup = warmup == null ? 0L : warmup;
    FieldException.require(
        warmup >= 0 && warmup < duration, "warmup", "warmup must be >= 0 and shorter than duration");
    seed = seed == null ? 1L : seed;
    semaphores = semaphores == null ? Map.of() : new TreeMap<>(semaphores);
    for (Map.Entry<String, Integer> e : semaphores.entrySet()) {
      FieldException.require(
          e.getValue() != null && e.getValue() >= 1, "semaphores",
          "semaphore '%s' needs a capacity of at least 1", e.getKey());
    }
    FieldException.require(
        workload != null && !workload.isEmpty(), "workload", "a scenario needs a workload");
    workload = List.copyOf(workload);
    for (Group g : workload) {
      checkSemaphores(g.steps(), semaphores, g.name());
    }
  }

  private static void checkSemaphores(List<Step> steps, Map<String, Integer> sems, String group) {
    for (Step s : steps) {
      String name = null;
      if (s instanceof Step.Acquire a) {
        name = a.semaphore();
      } else if (s instanceof Step.Release r) {
        name = r.semaphore();
      } else if (s instanceof Step.Loop l) {
        checkSemaphores(l.steps(), sems, group);
      } else if (s instanceof Step.Spawn sp) {
        checkSemaphores(sp.program(), sems, group);
      }
      FieldException.require(
          name == null || sems.containsKey(name), "workload",
          "group '%s' uses semaphore '%s', which is not declared under semaphores", group, name);
    }
  }

  /** True when any group uses a step that needs cgo (the binary is then cgo-linked). */
  public boolean usesCgo() {
    List<Step> all = new ArrayList<>();
    workload.forEach(g -> all.addAll(g.steps()));
    return anyCgo(all);
  }

  private static boolean anyCgo(List<Step> steps) {
    for (Step s : steps) {
      if (s instanceof Step.Cgo
          || (s instanceof Step.Loop l && anyCgo(l.steps()))
          || (s instanceof Step.Spawn sp && anyCgo(sp.program()))) {
        return true;
      }
    }
    return false;
  }

  public Scenario withSeed(long newSeed) {
    return new Scenario(name, description, runtime, duration, warmup, newSeed, semaphores, workload);
  }

  public Scenario withDuration(long ns) {
    return new Scenario(name, description, runtime, ns, Math.min(warmup, ns - 1), seed, semaphores, workload);
  }

}
