package dev.gmpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GC at the command line: its summary line, and GOGC: -5 refused as bad input. */
class GcCliTest {
  @Test
  void theHumanSummaryHasAGcLine() {
    CliTest.Result r = CliTest.run("run", CliTest.EXAMPLES.resolve("gc/fileread-server-gc.yaml").toString(),
        "--duration", "300ms");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().lines().anyMatch(l -> l.matches("GC +\\d+ cycles \\(GOGC=100\\), \\d+ stop-the-world pauses p50 .*, GC CPU .*%")),
        r.out());
  }

  @Test
  void aNegativeGogcIsOneLineWithExitCode2AndNothingWritten(@TempDir Path tmp) throws IOException {
    Path file = tmp.resolve("gogc.yaml");
    Files.writeString(file, "runtime:\n  gogc: -5\n" + CliTest.BLOCK);
    Path out = tmp.resolve("out");
    CliTest.Result r = CliTest.run("run", file.toString(), "--out", out.toString());
    assertEquals(2, r.code());
    assertEquals("gmpsim: " + file + ":2:3: runtime.gogc: gogc must be off or >= 0, got -5", r.err().strip());
    assertTrue(!Files.exists(out) || Files.list(out).findAny().isEmpty());
  }
}
