package dev.gmpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ./gmpsim script with a stale jar, twice at once: one build (package, never install),
 * both runs succeed, and stderr holds no escape codes. Maven and Java are stand-ins on PATH
 * (a slow build that writes the jar; a java that prints its arguments).
 */
class GmpsimScriptTest {
  @Test
  void twoCallsWithAStaleJarBuildOnceAndBothRun(@TempDir Path tmp) throws Exception {
    Path repo = tmp.resolve("repo");
    Path script = repo.resolve("gmpsim");
    Files.createDirectories(repo.resolve("protocol/src"));
    Files.createDirectories(repo.resolve("node/src"));
    Files.createDirectories(repo.resolve("coordinator/src"));
    Files.copy(CliTest.EXAMPLES.resolveSibling("gmpsim"), script);
    Files.writeString(repo.resolve("pom.xml"), "<project/>");
    Files.writeString(repo.resolve("node/src/A.java"), "class A {}");
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path log = tmp.resolve("mvn.log");
    stub(bin.resolve("mvn"), "echo \"$*\" >> '" + log + "'\nprintf '\\033[0m'\nsleep 2\n"
        + "mkdir -p coordinator/target && echo jar > coordinator/target/gmpsim.jar\n");
    stub(bin.resolve("java"), "echo \"java $*\"\n");
    List<Process> ps = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), "run", "x.yaml")
          .redirectError(tmp.resolve("err" + i).toFile()).redirectOutput(tmp.resolve("out" + i).toFile());
      pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
      ps.add(pb.start());
      Thread.sleep(300);
    }
    for (int i = 0; i < 2; i++) {
      assertTrue(ps.get(i).waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, ps.get(i).exitValue(), Files.readString(tmp.resolve("err" + i)));
      assertTrue(Files.readString(tmp.resolve("out" + i)).contains("-jar " + repo.resolve("coordinator/target/gmpsim.jar") + " run x.yaml"));
      assertFalse(Files.readString(tmp.resolve("err" + i)).contains("\033"), "no escape codes on stderr");
    }
    List<String> builds = Files.readAllLines(log);
    assertEquals(1, builds.size(), "one build: " + builds);
    assertTrue(builds.get(0).contains("package") && !builds.get(0).contains("install"), builds.get(0));
    assertTrue(Files.readString(tmp.resolve("err1")).contains("waiting for another ./gmpsim"));
  }

  private static void stub(Path p, String body) throws Exception {
    Files.writeString(p, "#!/usr/bin/env bash\n" + body);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
