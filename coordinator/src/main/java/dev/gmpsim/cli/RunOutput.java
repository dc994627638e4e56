package dev.gmpsim.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.gmpsim.model.TraceRecorder;
import dev.gmpsim.pictures.RunPictures;
import dev.gmpsim.protocol.result.RunResult;
import dev.gmpsim.protocol.scenario.Fault;
import dev.gmpsim.protocol.result.RunSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes a run's files. Each file is written under a temporary name and moved into place, and
 * summary.json comes last: a folder with a summary.json holds a complete result.
 */
final class RunOutput {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private RunOutput() {}

  static String summaryJson(RunSummary summary) {
    try {
      return JSON.writeValueAsString(summary) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes the run's files (schedtrace.txt only if a trace was asked for), its pictures
   * (threads.svg; trace.json when {@code trace} is given) and summary.json last.
   */
  static List<Path> write(Path dir, RunResult result, List<Fault> faults, TraceRecorder trace)
      throws IOException {
    Files.createDirectories(dir);
    List<Path> wrote = new ArrayList<>();
    if (!result.schedtrace().isEmpty()) {
      wrote.add(put(dir, "schedtrace.txt", result.schedtrace()));
    } else {
      Files.deleteIfExists(dir.resolve("schedtrace.txt")); // a stale one would describe another run
    }
    wrote.add(put(dir, "timeseries.csv", result.timeseriesCsv()));
    wrote.addAll(RunPictures.write(dir, result, faults, trace));
    wrote.add(put(dir, "summary.json", summaryJson(result.summary())));
    return wrote;
  }

  static Path put(Path dir, String name, String text) {
    try {
      Path tmp = dir.resolve("." + name + ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Path to = dir.resolve(name);
      Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return to;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** "wrote a/timeseries.csv" and the other paths below it, one a line: what a run ends with. */
  static String list(List<Path> paths) {
    return "wrote " + paths.stream().map(Path::toString).collect(Collectors.joining("\n      "));
  }
}
