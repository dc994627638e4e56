package dev.gmpsim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization as {@code kubectl kustomize} does, for the subset the manifests under
 * k8s/ use: resources (files and directories), {@code namespace}, JSON 6902 patches with
 * add/replace/remove (and {@code /-} to append), and a configMapGenerator from files without a
 * name hash. {@link #kubectl} renders with the real kustomize when kubectl is installed.
 */
final class Kustomize {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Kustomize() {}

  /** The objects {@code dir}'s kustomization.yaml makes, in its order. */
  static List<ObjectNode> render(Path dir) throws IOException {
    JsonNode k = YAML.readTree(dir.resolve("kustomization.yaml").toFile());
    List<ObjectNode> out = new ArrayList<>();
    for (JsonNode r : k.path("resources")) {
      Path p = dir.resolve(r.asText()).normalize();
      if (Files.isDirectory(p)) {
        out.addAll(render(p));
      } else {
        out.addAll(documents(Files.readString(p)));
      }
    }
    for (JsonNode g : k.path("configMapGenerator")) {
      ObjectNode cm = YAML.createObjectNode();
      cm.put("apiVersion", "v1");
      cm.put("kind", "ConfigMap");
      cm.putObject("metadata").put("name", g.path("name").asText());
      ObjectNode data = cm.putObject("data");
      for (JsonNode f : g.path("files")) {
        data.put(Path.of(f.asText()).getFileName().toString(), Files.readString(dir.resolve(f.asText())));
      }
      if (!k.at("/generatorOptions/disableNameSuffixHash").asBoolean(false)) {
        throw new IllegalArgumentException(dir + ": name hashes are not rendered here");
      }
      out.add(cm);
    }
    if (k.has("namespace")) {
      String ns = k.path("namespace").asText();
      for (ObjectNode o : out) {
        if (!o.path("kind").asText().equals("Namespace")) {
          ((ObjectNode) o.path("metadata")).put("namespace", ns);
        }
      }
    }
    for (JsonNode p : k.path("patches")) {
      String kind = p.at("/target/kind").asText();
      String name = p.at("/target/name").asText();
      List<ObjectNode> targets = out.stream()
          .filter(o -> o.path("kind").asText().equals(kind) && o.at("/metadata/name").asText().equals(name)).toList();
      if (targets.isEmpty()) {
        throw new IllegalArgumentException(dir + ": a patch for " + kind + "/" + name + ", which is not there");
      }
      for (JsonNode op : YAML.readTree(p.path("patch").asText())) {
        targets.forEach(t -> apply(t, op, dir));
      }
    }
    return out;
  }

  private static void apply(ObjectNode target, JsonNode op, Path dir) {
    String path = op.path("path").asText();
    int slash = path.lastIndexOf('/');
    JsonNode parent = target.at(path.substring(0, slash));
    String last = path.substring(slash + 1).replace("~1", "/").replace("~0", "~");
    String what = op.path("op").asText();
    if (parent.isMissingNode()) {
      throw new IllegalArgumentException(dir + ": " + path + " is not in the object it patches");
    }
    if (parent instanceof ArrayNode a) {
      if (last.equals("-") && what.equals("add")) {
        a.add(op.path("value").deepCopy());
        return;
      }
      int i = Integer.parseInt(last);
      if (i >= a.size() || (!what.equals("add") && i < 0)) {
        throw new IllegalArgumentException(dir + ": " + path + " is past the end");
      }
      switch (what) {
        case "add" -> a.insert(i, op.path("value").deepCopy());
        case "replace" -> a.set(i, op.path("value").deepCopy());
        case "remove" -> a.remove(i);
        default -> throw new IllegalArgumentException(dir + ": op " + what);
      }
    } else if (parent instanceof ObjectNode o) {
      if (!what.equals("add") && !o.has(last)) {
        throw new IllegalArgumentException(dir + ": " + path + " is not in the object it patches");
      }
      switch (what) {
        case "add", "replace" -> o.set(last, op.path("value").deepCopy());
        case "remove" -> o.remove(last);
        default -> throw new IllegalArgumentException(dir + ": op " + what);
      }
    } else {
      throw new IllegalArgumentException(dir + ": " + path + " is under a scalar");
    }
  }

  /** Every document of a multi-document YAML text. */
  static List<ObjectNode> documents(String text) throws IOException {
    List<ObjectNode> out = new ArrayList<>();
    try (YAMLParser p = (YAMLParser) YAML.getFactory().createParser(text)) {
      var it = YAML.readValues(p, JsonNode.class);
      while (it.hasNext()) {
        JsonNode n = it.next();
        if (n instanceof ObjectNode o) {
          out.add(o);
        }
      }
    }
    return out;
  }

  /** The path of kubectl when it is installed and answers; null otherwise (or with -Dgmpsim.kubectl=off). */
  static Path kubectl() {
    if ("off".equals(System.getProperty("gmpsim.kubectl"))) {
      return null;
    }
    for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path p = Path.of(d, "kubectl");
      if (Files.isExecutable(p)) {
        try {
          Process v = new ProcessBuilder(p.toString(), "version", "--client").redirectErrorStream(true).start();
          v.getInputStream().readAllBytes();
          if (v.waitFor(30, TimeUnit.SECONDS) && v.exitValue() == 0) {
            return p;
          }
          v.destroyForcibly();
        } catch (IOException | InterruptedException e) {
          return null;
        }
      }
    }
    return null;
  }

  /** {@code kubectl kustomize dir} (offline: kustomize needs no cluster). */
  static List<ObjectNode> kubectl(Path kubectl, Path dir) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString()).start();
    byte[] err = new byte[0];
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    err = p.getErrorStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("kubectl kustomize " + dir + " failed: " + new String(err, StandardCharsets.UTF_8));
    }
    return documents(out);
  }
}
