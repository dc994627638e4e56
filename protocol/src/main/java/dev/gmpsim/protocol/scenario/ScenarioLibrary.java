package dev.gmpsim.protocol.scenario;

import java.util.List;
import java.util.Map;

/**
 * A file other scenarios include: named step lists and semaphores to share, and files of its
 * own to include.
 */
public record ScenarioLibrary(
    String description, List<String> include, Map<String, Integer> semaphores, Map<String, List<Step>> steps) {
  public ScenarioLibrary {
    include = include == null ? List.of() : List.copyOf(include);
    semaphores = semaphores == null ? Map.of() : Map.copyOf(semaphores);
    steps = steps == null ? Map.of() : Map.copyOf(steps);
  }
}
