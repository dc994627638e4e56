package dev.gmpsim.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gmpsim.protocol.scenario.Scenario;
import dev.gmpsim.protocol.scenario.ScenarioLibrary;
import dev.gmpsim.protocol.scenario.ScenarioLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every scenario file under examples/, in every subfolder, loads: keys, values, includes and
 * cross-references are valid. Two kinds of files there are not scenarios: files named *.lib.yaml
 * hold shared step lists for {@code include:} (no runtime, no workload): they parse as libraries
 * and some scenario includes each; sweep specifications (a top-level {@code parameters:} key,
 * for {@code gmpsim sweep}) are left to the sweep's own tests and reported as skipped here.
 */
class ExampleFilesLoadTest {

  static Stream<String> files() throws Exception {
    Path root = ExampleFiles.root();
    return ExampleFiles.all().stream().map(p -> root.relativize(p).toString());
  }

  static boolean isLibrary(String file) {
    return file.endsWith(ExampleFiles.LIBRARY_SUFFIX);
  }

  /** A sweep specification (gmpsim sweep), not a scenario: it has a top-level parameters key. */
  static boolean isSweep(Path path) throws Exception {
    JsonNode tree = ScenarioLoader.mapper().readTree(path.toFile());
    return tree != null && tree.isObject() && tree.has("parameters");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void loads(String file) throws Exception {
    Path path = ExampleFiles.root().resolve(file);
    String text = Files.readString(path, StandardCharsets.UTF_8);
    assertTrue(text.startsWith("#"), file + " begins with a comment saying what it shows");
    assumeFalse(isSweep(path), file + " is a sweep specification, not a scenario");
    if (isLibrary(file)) {
      ScenarioLibrary lib = ScenarioLoader.read(path.toString(), text, ScenarioLibrary.class);
      assertFalse(lib.steps().isEmpty() && lib.semaphores().isEmpty(), file + " shares something");
    } else {
      Scenario s = ScenarioLoader.load(path);
      assertFalse(s.workload().isEmpty());
      assertTrue(s.problems().isEmpty(), file + ": " + s.problems());
    }
  }

  @Test
  void thereAreExamplesInSubfoldersAndEveryLibraryIsIncluded() throws Exception {
    Path root = ExampleFiles.root();
    List<Path> all = ExampleFiles.all();
    assertTrue(all.stream().anyMatch(p -> !p.getParent().equals(root)), "subfolders are searched: " + all);
    Set<Path> included = new HashSet<>();
    for (Path p : all) {
      if (!isLibrary(p.getFileName().toString()) && !isSweep(p)) {
        for (String inc : ScenarioLoader.load(p).include()) {
          included.add(p.getParent().resolve(inc).normalize());
        }
      }
    }
    for (Path p : all) {
      if (isLibrary(p.getFileName().toString())) {
        assertTrue(included.contains(p.normalize()), root.relativize(p) + " is included by some scenario");
      }
    }
  }
}
