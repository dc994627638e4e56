package dev.gmpsim.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.gmpsim.protocol.result.RunResult;
import dev.gmpsim.protocol.result.RunSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

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

  /** Fails before any simulation if {@code dir} cannot take the results. */
  static void checkWritable(Path dir) throws UserError {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new UserError(dir + ": --out must be a folder, and this is a file");
    }
    Path existing = dir;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.toAbsolutePath().getParent();
    }
    if (existing == null || !Files.isWritable(existing)) {
      throw new UserError(dir + ": cannot write there");
    }
  }

  static void write(Path dir, RunResult result) throws IOException {
    Files.createDirectories(dir);
    put(dir, "schedtrace.txt", result.schedtrace());
    put(dir, "timeseries.csv", result.timeseriesCsv());
    put(dir, "summary.json", summaryJson(result.summary()));
  }

  private static void put(Path dir, String name, String text) {
    try {
      Path tmp = dir.resolve("." + name + ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
