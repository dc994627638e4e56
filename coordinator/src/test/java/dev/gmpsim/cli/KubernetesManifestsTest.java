package dev.gmpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The manifests under k8s/ read as Kubernetes objects (fabric8's model), and agreeing with the
 * application: ports, probe paths, the discovery's label selector, RBAC, the environment the
 * configuration reads, the image name, and overlays that patch what the base has.
 */
class KubernetesManifestsTest {
  static final Path K8S = CliTest.EXAMPLES.resolveSibling("k8s");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static List<HasMetadata> load(Path dir) throws IOException {
    JsonNode kust = YAML.readTree(dir.resolve("kustomization.yaml").toFile());
    List<HasMetadata> out = new ArrayList<>();
    for (JsonNode r : kust.path("resources")) {
      Path file = dir.resolve(r.asText());
      String text = Files.readString(file);
      Object o = Serialization.unmarshal(text);
      if (o instanceof KubernetesList l) {
        out.addAll(l.getItems());
      } else if (o instanceof List<?> l) {
        l.forEach(x -> out.add((HasMetadata) x));
      } else {
        out.add((HasMetadata) o);
      }
    }
    return out;
  }

  static <T extends HasMetadata> T only(List<HasMetadata> all, Class<T> type) {
    List<T> of = all.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
    assertEquals(1, of.size(), type.getSimpleName());
    return of.get(0);
  }

  /** kubernetes.conf as a pod resolves it, with {@code env} for the pod's environment. */
  static Config podConfig(Map<String, Object> env) {
    return ConfigFactory.parseResourcesAnySyntax("kubernetes.conf")
        .withFallback(ConfigFactory.defaultReference())
        .withFallback(ConfigFactory.parseMap(env))
        .resolve(ConfigResolveOptions.noSystem());
  }

  @Test
  void theBaseAgreesWithTheNodesConfiguration() throws IOException {
    List<HasMetadata> base = load(K8S.resolve("base"));
    Deployment d = only(base, Deployment.class);
    Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    Map<String, Object> env = new HashMap<>();
    for (EnvVar e : c.getEnv()) {
      env.put(e.getName(), e.getValue() != null ? e.getValue() : "1");
    }
    env.put("GMPSIM_HOST", "10.0.0.1"); // from the downward API
    Config cfg = podConfig(env);
    Map<String, Integer> ports = c.getPorts().stream().collect(Collectors.toMap(ContainerPort::getName, ContainerPort::getContainerPort));
    assertEquals(cfg.getInt("akka.remote.artery.canonical.port"), ports.get("remoting"));
    assertEquals(cfg.getInt("akka.management.http.port"), ports.get("management"));
    assertEquals("/ready", c.getReadinessProbe().getHttpGet().getPath());
    assertEquals("/alive", c.getLivenessProbe().getHttpGet().getPath());
    assertEquals("management", c.getReadinessProbe().getHttpGet().getPort().getStrVal());
    assertEquals(List.of("--config", "kubernetes"), c.getArgs());
    // The discovery's selector (app=%s with the service name) selects these pods.
    String selector = cfg.getString("akka.discovery.kubernetes-api.pod-label-selector")
        .replace("%s", cfg.getString("akka.management.cluster.bootstrap.contact-point-discovery.service-name"));
    String[] kv = selector.split("=");
    assertEquals(kv[1], d.getSpec().getTemplate().getMetadata().getLabels().get(kv[0]));
    assertEquals(d.getSpec().getSelector().getMatchLabels(), d.getSpec().getTemplate().getMetadata().getLabels());
    // Every GMPSIM_ variable the pod sets is one the configuration reads, and the bootstrap's are set.
    String confs = resource("node.conf") + resource("kubernetes.conf") + resource("reference.conf");
    for (EnvVar e : c.getEnv()) {
      if (!e.getName().equals("GMPSIM_PARALLELISM")) { // read by NodeCommand itself
        assertTrue(confs.contains("${?" + e.getName() + "}"), e.getName() + " is read by no configuration file");
      }
    }
    assertTrue(c.getEnv().stream().anyMatch(e -> e.getName().equals("GMPSIM_HOST") && e.getValueFrom() != null
        && "status.podIP".equals(e.getValueFrom().getFieldRef().getFieldPath())), "advertise the pod IP");
    // RBAC: the pods' service account may list pods.
    ServiceAccount sa = only(base, ServiceAccount.class);
    assertEquals(sa.getMetadata().getName(), d.getSpec().getTemplate().getSpec().getServiceAccountName());
    RoleBinding rb = only(base, RoleBinding.class);
    assertEquals(sa.getMetadata().getName(), rb.getSubjects().get(0).getName());
    Role role = only(base, Role.class);
    assertEquals(role.getMetadata().getName(), rb.getRoleRef().getName());
    assertTrue(role.getRules().get(0).getVerbs().containsAll(List.of("get", "watch", "list")));
    assertTrue(role.getRules().get(0).getResources().contains("pods"));
    // Headless service over the same pods.
    Service svc = only(base, Service.class);
    assertEquals("None", svc.getSpec().getClusterIP());
    assertEquals(d.getSpec().getSelector().getMatchLabels(), svc.getSpec().getSelector());
    // Non-root, read-only root filesystem, a writable /tmp.
    assertTrue(d.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot());
    assertTrue(c.getSecurityContext().getReadOnlyRootFilesystem());
    assertEquals("/tmp", c.getVolumeMounts().get(0).getMountPath());
    assertNotNull(d.getSpec().getTemplate().getSpec().getVolumes().get(0).getEmptyDir());
    assertNotNull(c.getResources().getLimits().get("cpu"));
  }

  @Test
  void theImageIsTheOneTheBuildTags() throws IOException {
    Container c = only(load(K8S.resolve("base")), Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    Path build = CliTest.EXAMPLES.resolveSibling("deploy").resolve("build-image.sh");
    if (Files.exists(build)) {
      assertTrue(Files.readString(build).contains(c.getImage()), "build-image.sh tags " + c.getImage());
    }
    Container job = only(load(K8S.resolve("sweep")), Job.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    assertEquals(c.getImage(), job.getImage());
  }

  @Test
  void theSweepJobResumesAfterItsOwnRestartAndJoinsThroughTheService() throws Exception {
    List<HasMetadata> sweep = load(K8S.resolve("sweep"));
    Job job = only(sweep, Job.class);
    assertTrue(job.getSpec().getBackoffLimit() > 0, "a dead pod is replaced");
    String script = String.join("\n", job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs());
    assertTrue(script.contains("[ -f /results/sweep.json ] && resume=--resume"), script);
    assertTrue(script.contains("--out /results"), script);
    assertTrue(script.contains("gmpsim.gmpsim.svc.cluster.local"), "the headless service's name");
    Service svc = only(load(K8S.resolve("base")), Service.class);
    assertTrue(script.contains(svc.getMetadata().getName() + "." + svc.getMetadata().getNamespace() + ".svc"));
    Matcher m = Pattern.compile("sweep (\\S+) --out").matcher(script);
    assertTrue(m.find());
    assertEquals("/sweep/sweep.yaml", m.group(1));
    // The sweep file the ConfigMap is made from loads.
    assertEquals("retake-threshold", dev.gmpsim.sweep.SweepLoader.load(K8S.resolve("sweep/sweep.yaml")).name());
    assertFalse(job.getSpec().getTemplate().getMetadata().getLabels().containsValue("gmpsim"),
        "the submitter is not counted as a bootstrapping node");
  }

  @Test
  void overlaysPatchWhatTheBaseHas() throws IOException {
    Deployment d = only(load(K8S.resolve("base")), Deployment.class);
    JsonNode tree = YAML.valueToTree(d);
    String confs = resource("node.conf") + resource("kubernetes.conf");
    for (String overlay : new String[] {"dev", "large", "tls"}) {
      JsonNode k = YAML.readTree(K8S.resolve("overlays").resolve(overlay).resolve("kustomization.yaml").toFile());
      assertEquals("../../base", k.path("resources").get(0).asText());
      for (JsonNode p : k.path("patches")) {
        assertEquals("Deployment", p.at("/target/kind").asText());
        assertEquals(d.getMetadata().getName(), p.at("/target/name").asText());
        for (JsonNode op : YAML.readTree(p.path("patch").asText())) {
          String path = op.path("path").asText();
          String at = path.endsWith("/-") ? path.substring(0, path.length() - 2) : path; // an append
          assertFalse(tree.at(at).isMissingNode(), overlay + ": " + at + " is not in the base");
          String name = op.at("/value/name").asText("");
          if (path.contains("/env/") && name.startsWith("GMPSIM_")) {
            assertTrue(confs.contains("${?" + name + "}"), overlay + " sets " + name + ", which no configuration reads");
          }
          if (overlay.equals("dev") && path.contains("/env/")) {
            assertEquals("REQUIRED_CONTACT_POINT_NR", tree.at(path.replace("/value", "/name")).asText(),
                "one pod must be enough to form the dev cluster");
            assertEquals("1", op.path("value").asText());
          }
        }
      }
    }
    // Run slots follow each overlay's CPU limit through the downward API, with no patch of their own.
    EnvVar slots = d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getName().equals("GMPSIM_PARALLELISM")).findFirst().orElseThrow();
    assertEquals("limits.cpu", slots.getValueFrom().getResourceFieldRef().getResource());
  }

  private static String resource(String name) throws IOException {
    try (var in = KubernetesManifestsTest.class.getClassLoader().getResourceAsStream(name)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
