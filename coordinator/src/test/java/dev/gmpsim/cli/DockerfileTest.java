package dev.gmpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * deploy/Dockerfile, .dockerignore and deploy/build-image.sh, checked without building the image
 * (deploy/build-image.sh builds and runs it; it is too slow for mvn verify): two stages, a
 * non-root user, base images pinned by version, an entrypoint that runs the node with the JVM
 * flags the image promises, the jar the build stage makes is the one copied and run, and the
 * image name the script tags.
 */
class DockerfileTest {
  /** The name deploy/build-image.sh tags (podman's localhost/ prefix left off). */
  static final String IMAGE = "gmpsim:0.1.0";

  static final Path ROOT = Files.exists(Path.of("..", "deploy", "Dockerfile")) ? Path.of("..") : Path.of(".");
  static final List<String> JVM_FLAGS = List.of(
      "-XX:+UseG1GC", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-XX:+DisplayVMOutputToStderr", "-Xss4m");

  /** One Dockerfile instruction: keyword and the rest, continuation lines joined. */
  record Instruction(String keyword, String args) {}

  /** The instructions of a stage, from its FROM. */
  record Stage(String image, String name, List<Instruction> instructions) {
    List<String> all(String keyword) {
      return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::args).toList();
    }

    String last(String keyword) {
      List<String> a = all(keyword);
      return a.isEmpty() ? null : a.get(a.size() - 1);
    }
  }

  static List<Instruction> instructions(Path dockerfile) throws IOException {
    List<Instruction> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (String line : Files.readAllLines(dockerfile)) {
      String t = line.strip();
      if (cur.length() == 0 && (t.isEmpty() || t.startsWith("#"))) {
        continue;
      }
      if (cur.length() > 0 && t.startsWith("#")) {
        continue; // a comment inside a continued instruction
      }
      if (t.endsWith("\\")) {
        cur.append(t, 0, t.length() - 1).append(' ');
        continue;
      }
      cur.append(t);
      String s = cur.toString().strip();
      cur.setLength(0);
      int sp = s.indexOf(' ');
      out.add(new Instruction(s.substring(0, sp).toUpperCase(), s.substring(sp + 1).strip()));
    }
    return out;
  }

  /** The stages, with ${ARG} in FROM replaced by the ARG's default from before the first FROM. */
  static List<Stage> stages(List<Instruction> ins) {
    Map<String, String> args = new HashMap<>();
    List<Stage> stages = new ArrayList<>();
    for (Instruction i : ins) {
      if (i.keyword().equals("ARG") && stages.isEmpty() && i.args().contains("=")) {
        String[] kv = i.args().split("=", 2);
        args.put(kv[0].strip(), kv[1].strip());
      } else if (i.keyword().equals("FROM")) {
        String[] w = i.args().split("\\s+");
        int k = 0;
        while (w[k].startsWith("--")) {
          k++;
        }
        String image = w[k];
        Matcher m = Pattern.compile("\\$\\{(\\w+)}").matcher(image);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
          assertTrue(args.containsKey(m.group(1)), "FROM uses ARG " + m.group(1) + " without a default");
          m.appendReplacement(b, Matcher.quoteReplacement(args.get(m.group(1))));
        }
        m.appendTail(b);
        String name = w.length > k + 2 && w[k + 1].equalsIgnoreCase("AS") ? w[k + 2] : null;
        stages.add(new Stage(b.toString(), name, new ArrayList<>()));
      } else if (!stages.isEmpty()) {
        stages.get(stages.size() - 1).instructions().add(i);
      }
    }
    return stages;
  }

  /** A JSON array of strings as the exec form of ENTRYPOINT / CMD writes it. */
  static List<String> jsonStrings(String json) {
    String j = json.strip();
    assertTrue(j.startsWith("[") && j.endsWith("]"), "not the exec (JSON) form: " + json);
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(j);
    while (m.find()) {
      out.add(m.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
    }
    return out;
  }

  static List<Stage> dockerfile() throws IOException {
    return stages(instructions(ROOT.resolve("deploy/Dockerfile")));
  }

  @Test
  void aMavenBuildStageThenAJreRuntimeStageFromPinnedBaseImages() throws IOException {
    List<Stage> stages = dockerfile();
    assertTrue(stages.size() >= 2, "multi-stage: " + stages);
    Stage build = stages.get(0);
    Stage runtime = stages.get(stages.size() - 1);
    assertEquals("build", build.name());
    for (Stage s : stages) {
      // image[:tag][@sha256:digest]; the tag must name a version (a digit), never latest.
      Matcher m = Pattern.compile("([^@]+?)(?::([\\w.-]+))?(@sha256:[0-9a-f]{64})?").matcher(s.image());
      assertTrue(m.matches(), s.image());
      String tag = m.group(2);
      assertNotNull(tag, "base image without a tag: " + s.image());
      assertFalse(tag.equals("latest") || tag.startsWith("latest"), "base image on latest: " + s.image());
      assertTrue(tag.matches(".*\\d.*") || m.group(3) != null, "base image not pinned by version: " + s.image());
    }
    String buildRuns = String.join("\n", build.all("RUN"));
    assertTrue(buildRuns.contains("openjdk-17-jdk-headless") && buildRuns.contains("maven"), buildRuns);
    assertTrue(buildRuns.matches("(?s).*mvn -B -q .*-DskipTests package.*"), buildRuns);
    String runtimeRuns = String.join("\n", runtime.all("RUN"));
    assertTrue(runtimeRuns.contains("openjdk-17-jre-headless"), runtimeRuns);
    assertFalse(runtimeRuns.contains("jdk-headless") || runtimeRuns.contains("maven"), "no JDK/Maven at run time: " + runtimeRuns);
  }

  @Test
  void theNodeRunsAsANonRootUser() throws IOException {
    Stage runtime = dockerfile().get(dockerfile().size() - 1);
    String user = runtime.last("USER");
    assertNotNull(user, "no USER in the runtime stage");
    String uid = user.split(":")[0];
    assertFalse(uid.equals("root") || uid.equals("0"), user);
    // Numeric, so that Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
    assertTrue(uid.matches("\\d+"), user);
    String runs = String.join("\n", runtime.all("RUN"));
    assertTrue(runs.contains("--uid " + uid), "the user " + uid + " is created: " + runs);
  }

  @Test
  void theEntrypointRunsTheNodeFromTheJarTheBuildStageMade() throws IOException {
    List<Stage> stages = dockerfile();
    Stage build = stages.get(0);
    Stage runtime = stages.get(stages.size() - 1);

    // The shaded jar: coordinator/target/gmpsim.jar (the shade plugin's finalName).
    String pom = Files.readString(ROOT.resolve("coordinator/pom.xml"));
    assertTrue(pom.contains("<finalName>gmpsim</finalName>"), "shade finalName");
    String workdir = build.last("WORKDIR");
    String buildRuns = String.join("\n", build.all("RUN"));
    Matcher cp = Pattern.compile("cp (coordinator/target/gmpsim\\.jar|" + Pattern.quote(workdir)
        + "/coordinator/target/gmpsim\\.jar) (\\S+)").matcher(buildRuns);
    assertTrue(cp.find(), "the build stage puts coordinator/target/gmpsim.jar somewhere: " + buildRuns);
    String built = cp.group(2);

    List<String> copies = runtime.all("COPY").stream().filter(c -> c.startsWith("--from=build ")).toList();
    assertEquals(1, copies.size(), copies.toString());
    String[] w = copies.get(0).split("\\s+");
    assertEquals(built, w[1], "the runtime stage copies the jar the build stage made");
    String jar = w[2];
    assertEquals("/app/gmpsim.jar", jar);

    List<String> entry = jsonStrings(runtime.last("ENTRYPOINT"));
    // Through sh -c so that the node's --host/--port come from the environment; exec keeps java PID 1.
    assertEquals(List.of("/bin/sh", "-c"), entry.subList(0, 2), entry.toString());
    String script = entry.get(2);
    assertTrue(script.contains("; exec java "), script);
    for (String flag : JVM_FLAGS) {
      assertTrue(script.contains(" " + flag + " "), flag + " in " + script);
    }
    assertTrue(script.contains(" -jar " + jar + " node "), script);
    assertTrue(script.startsWith("h=${GMPSIM_HOST:-$(hostname -i"), script);
    assertTrue(script.contains("--host \"$h\""), script);
    assertTrue(script.contains("--port \"$GMPSIM_PORT\""), script);
    assertTrue(script.endsWith("\"$@\""), "arguments after the image name reach the node: " + script);

    // Every variable the entrypoint reads has a default in the image.
    String env = String.join(" ", runtime.all("ENV"));
    Matcher v = Pattern.compile("\\$\\{?(GMPSIM_\\w+|JAVA_OPTS)").matcher(script);
    while (v.find()) {
      assertTrue(env.contains(v.group(1) + "="), v.group(1) + " has an ENV default: " + env);
    }
    assertTrue(env.contains("GMPSIM_PORT=25520"), env);
    assertTrue(runtime.all("EXPOSE").stream().anyMatch(e -> e.matches("(.*\\s)?25520(\\s.*)?")), "EXPOSE 25520");
  }

  @Test
  void theBuildContextLeavesOutBuildOutputAndGitButNotTheSources() throws IOException {
    List<String> ignore = Files.readAllLines(ROOT.resolve(".dockerignore")).stream()
        .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    assertTrue(ignore.contains("target/") || ignore.contains("target"), ignore.toString());
    assertTrue(ignore.contains("**/target/") || ignore.contains("**/target"), "module target/ folders: " + ignore);
    assertTrue(ignore.contains(".git"), ignore.toString());
    for (String kept : List.of("pom.xml", "protocol", "node", "coordinator", "bench", "deploy/Dockerfile")) {
      assertFalse(ignore.contains(kept) || ignore.contains(kept + "/"), kept + " is needed by the build");
    }
    // The sources the build stage copies all exist.
    for (String c : dockerfile().get(0).all("COPY")) {
      assertTrue(Files.exists(ROOT.resolve(c.split("\\s+")[0])), c);
    }
  }

  @Test
  void buildImageShTagsTheImageNameOthersExpect() throws IOException {
    Path script = ROOT.resolve("deploy/build-image.sh");
    assertTrue(Files.isExecutable(script), script + " is executable");
    String s = Files.readString(script);
    String[] nameTag = IMAGE.split(":");
    assertTrue(s.contains("IMAGE=${IMAGE:-" + nameTag[0] + "}"), "default IMAGE " + nameTag[0]);
    assertTrue(s.contains("TAG=${TAG:-" + nameTag[1] + "}"), "default TAG " + nameTag[1]);
    assertTrue(s.contains("ref=\"localhost/$IMAGE:$TAG\""), "the tag is localhost/IMAGE:TAG");
    assertTrue(s.contains("-t \"$ref\" -t \"localhost/$IMAGE:latest\""), "both tags on podman build");
    assertTrue(s.contains("podman build --isolation chroot"), s);
    assertTrue(s.contains("-f \"$dockerfile\""), "builds deploy/Dockerfile");
    // The image's version is the project's, without -SNAPSHOT.
    String pom = Files.readString(ROOT.resolve("pom.xml"));
    Matcher m = Pattern.compile("<artifactId>gmpsim-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
    assertTrue(m.find(), "the parent pom's version");
    assertEquals(m.group(1).replace("-SNAPSHOT", ""), nameTag[1]);
    // The base image the script makes is the one the Dockerfile names.
    assertTrue(s.contains("sed -n 's/^ARG DEBIAN_IMAGE=//p' \"$dockerfile\""), "base image name read from the Dockerfile");
  }
}
