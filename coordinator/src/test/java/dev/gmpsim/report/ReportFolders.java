package dev.gmpsim.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Sweep folders written by hand, in the format ResultSink writes (docs/sweeps.md). */
final class ReportFolders {
  private ReportFolders() {}

  static String manifest(String status, int runs, int results) {
    return """
        {
          "name" : "hand-made",
          "file" : "sweeps/hand.yaml",
          "status" : "%s",
          "runs" : %d,
          "results" : %d,
          "parameters" : [ "runtime.gomaxprocs", "workload[0].think" ],
          "metrics" : [ "threads.peak", "retakes" ]
        }
        """.formatted(status, runs, results);
  }

  static String row(String id, int gomaxprocs, String think, long seed, String outcome, Integer peak, Integer retakes) {
    return "{\"id\":\"" + id + "\",\"parameters\":{\"runtime.gomaxprocs\":\"" + gomaxprocs + "\",\"workload[0].think\":\""
        + think + "\"},\"seed\":" + seed + ",\"outcome\":\"" + outcome.replace("\"", "\\\"")
        + "\",\"node\":\"n1\",\"wallMs\":12,\"attempt\":1,\"metrics\":{\"threads.peak\":" + peak
        + ",\"retakes\":" + retakes + "}}";
  }

  /** 2 x 3 points x 2 seeds = 12 rows, the first {@code n} of them, with one fatal and one failed run. */
  static List<String> rows(int n) {
    List<String> out = new ArrayList<>();
    String[] thinks = {"exp(1s)", "exp(250ms)", "exp(500ms)"};
    int i = 0;
    for (int g : new int[] {1, 4}) {
      for (String t : thinks) {
        for (long s = 1; s <= 2; s++) {
          String id = String.format("%016x", 0xabc000L + i);
          String outcome = i == 3 ? "fatal: runtime: program exceeds 10000-thread limit" : i == 8 ? "error: boom" : "ok";
          out.add(row(id, g, t, s, outcome, i == 8 ? null : 10 + i, i == 8 ? null : 100 * i));
          i++;
        }
      }
    }
    return out.subList(0, n);
  }

  static Path folder(Path dir, String status, int n) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("sweep.json"), manifest(status, 12, n));
    Files.write(dir.resolve("results.jsonl"), rows(n));
    return dir;
  }
}
