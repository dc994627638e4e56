package dev.gmpsim.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A results folder, checked before any simulation: created (with its parents) and written to
 * once, so that a folder that cannot take the results fails in a second, not after the run. A
 * folder this made and never finished is removed again: nothing half-written is left behind.
 */
final class OutputFolder {
  private final Path path;
  private final Path created;
  private boolean done;

  private OutputFolder(Path path, Path created) {
    this.path = path;
    this.created = created;
  }

  static OutputFolder prepare(Path dir, String flag) throws UserError {
    if (dir.toString().isBlank()) {
      throw new UserError(flag + " must name a folder, got an empty string");
    }
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new UserError(dir + ": " + flag + " must be a folder, and this is a file");
    }
    Path firstMissing = null;
    for (Path p = dir.toAbsolutePath().normalize(); p != null && !Files.exists(p); p = p.getParent()) {
      firstMissing = p;
    }
    try {
      Files.createDirectories(dir);
      Path probe = Files.createTempFile(dir, ".gmpsim-probe", ".tmp");
      Files.delete(probe);
    } catch (IOException | SecurityException e) {
      OutputFolder undo = new OutputFolder(dir, firstMissing);
      undo.abandonIfUnfinished();
      throw new UserError(dir + ": cannot write there (" + reason(e) + ")");
    }
    return new OutputFolder(dir, firstMissing);
  }

  Path path() {
    return path;
  }

  void done() {
    done = true;
  }

  /** Removes what this made if the run did not finish writing its results. */
  void abandonIfUnfinished() {
    if (done || created == null || !Files.exists(created)) {
      return;
    }
    try (Stream<Path> all = Files.walk(created)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException ignored) {
      // Best effort: the error that got us here is the one to report.
    }
  }

  private static String reason(Exception e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "the folder cannot be created";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e.getClass().getSimpleName();
  }
}
