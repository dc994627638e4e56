package dev.gmpsim.pictures;

import dev.gmpsim.model.TraceRecorder;
import dev.gmpsim.protocol.result.RunResult;
import dev.gmpsim.protocol.scenario.Fault;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The pictures of one run, the single entry point for whoever writes a run's folder (gmpsim run
 * --out, a sweep's kept runs): {@code threads.svg} from the result alone, and {@code trace.json}
 * when the run was given a {@link TraceRecorder}. Each file is written under a temporary name
 * and moved into place.
 */
public final class RunPictures {
  public static final String THREADS_SVG = "threads.svg";
  public static final String TRACE_JSON = "trace.json";

  /** Events a trace keeps by default: a 10-second workload C then stays about 100 MB. */
  public static final long DEFAULT_MAX_EVENTS = 1_000_000L;

  private RunPictures() {}

  /** A recorder for a run: events in {@code from..to} (ns; to Long.MAX_VALUE: the end), capped. */
  public static TraceRecorder recorder(long from, long to, long maxEvents) {
    return new TraceRecorder(from, to, maxEvents);
  }

  /**
   * Writes threads.svg (and trace.json if {@code trace} is not null) into {@code dir}; returns
   * the paths written. {@code faults}: the scenario's fault declarations, whose windows are
   * shaded (empty or null: none).
   */
  public static List<Path> write(Path dir, RunResult result, List<Fault> faults, TraceRecorder trace)
      throws IOException {
    Files.createDirectories(dir);
    List<Path> wrote = new ArrayList<>();
    wrote.add(put(dir, THREADS_SVG, tmp -> Files.writeString(tmp, ThreadsChart.svg(result, faults), StandardCharsets.UTF_8)));
    if (trace != null) {
      wrote.add(put(dir, TRACE_JSON, tmp -> TraceJson.write(tmp, trace, result.summary())));
    } else {
      Files.deleteIfExists(dir.resolve(TRACE_JSON)); // a stale one would describe another run
    }
    return wrote;
  }

  private interface Writer {
    void write(Path tmp) throws IOException;
  }

  private static Path put(Path dir, String name, Writer w) throws IOException {
    Path tmp = dir.resolve("." + name + ".tmp");
    w.write(tmp);
    Path to = dir.resolve(name);
    Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return to;
  }
}
