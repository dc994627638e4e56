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
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
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
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
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
    checkNodes(load(K8S.resolve("base")));
  }

  /** The pod's environment as the kubelet fills it: the downward API, the CPU limit, secrets. */
  static Map<String, Object> podEnv(Container c) {
    Map<String, Object> env = new HashMap<>();
    for (EnvVar e : c.getEnv()) {
      String v = e.getValue();
      if (v == null && e.getValueFrom().getFieldRef() != null) {
        v = "10.0.0.1"; // status.podIP
      } else if (v == null && e.getValueFrom().getResourceFieldRef() != null) {
        v = c.getResources().getLimits().get(e.getValueFrom().getResourceFieldRef().getResource().replace("limits.", ""))
            .getAmount();
      } else if (v == null) {
        v = "from-a-secret";
      }
      env.put(e.getName(), v);
    }
    return env;
  }

  /** The node Deployment in {@code base} (the base, or an overlay rendered) agrees with the application. */
  static void checkNodes(List<HasMetadata> base) throws IOException {
    Deployment d = only(base, Deployment.class);
    Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    Map<String, Object> env = podEnv(c);
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
    // What a pod cannot do without is set: its address, ports, the bootstrap's service and
    // contact points, and with tls-tcp the key, trust store and password.
    Set<String> read = readByConfig();
    Set<String> needed = new HashSet<>(Set.of("GMPSIM_HOST", "GMPSIM_PORT", "GMPSIM_MANAGEMENT_PORT",
        "GMPSIM_SERVICE_NAME", "REQUIRED_CONTACT_POINT_NR"));
    if (cfg.getString("akka.remote.artery.transport").equals("tls-tcp")) {
      needed.addAll(Set.of("GMPSIM_TLS_KEYSTORE", "GMPSIM_TLS_TRUSTSTORE", "GMPSIM_TLS_PASSWORD"));
    }
    assertTrue(read.containsAll(needed), "the configuration reads " + read);
    assertTrue(env.keySet().containsAll(needed), "the pod sets " + env.keySet() + ", needs " + needed);
    assertTrue(env.containsKey("GMPSIM_PARALLELISM"), "run slots from the CPU limit");
    assertEquals(Integer.parseInt(c.getResources().getLimits().get("cpu").getAmount()),
        Integer.parseInt((String) env.get("GMPSIM_PARALLELISM")));
  }

  /** The environment variables the configuration files read (${?NAME}). */
  static Set<String> readByConfig() throws IOException {
    Matcher m = Pattern.compile("\\$\\{\\?([A-Z_]+)}").matcher(resource("node.conf") + resource("kubernetes.conf")
        + resource("reference.conf"));
    Set<String> out = new HashSet<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** The directories under k8s/ that kustomize renders for users. */
  static final List<String> RENDERED = List.of("overlays/dev", "overlays/large", "overlays/tls", "sweep", "sweep-tls");

  /**
   * {@code dir} (under k8s/) rendered: by {@code kubectl kustomize} when kubectl is installed, else
   * by the merge in {@link Kustomize}; as fabric8 objects.
   */
  static List<HasMetadata> rendered(String dir) throws Exception {
    Path kubectl = Kustomize.kubectl();
    List<ObjectNode> docs = kubectl != null ? Kustomize.kubectl(kubectl, K8S.resolve(dir)) : Kustomize.render(K8S.resolve(dir));
    List<HasMetadata> out = new ArrayList<>();
    for (ObjectNode o : docs) {
      out.add((HasMetadata) Serialization.unmarshal(o.toString()));
    }
    return out;
  }

  @Test
  void theMergeHereRendersWhatKubectlKustomizeRenders() throws Exception {
    Path kubectl = Kustomize.kubectl();
    Assumptions.assumeTrue(kubectl != null,
        "kubectl is not installed: the overlays are checked as the in-test merge renders them only");
    for (String dir : RENDERED) {
      Map<String, JsonNode> real = byKindAndName(Kustomize.kubectl(kubectl, K8S.resolve(dir)));
      Map<String, JsonNode> here = byKindAndName(Kustomize.render(K8S.resolve(dir)));
      assertEquals(real.keySet(), here.keySet(), dir);
      for (String k : real.keySet()) {
        assertEquals(real.get(k), here.get(k), dir + ": " + k);
      }
    }
  }

  private static Map<String, JsonNode> byKindAndName(List<ObjectNode> docs) {
    Map<String, JsonNode> out = new HashMap<>();
    docs.forEach(o -> out.put(o.path("kind").asText() + "/" + o.at("/metadata/name").asText(), o));
    return out;
  }

  @Test
  void everyOverlayRendersToNodesThatAgreeWithTheApplication() throws Exception {
    for (String overlay : List.of("dev", "large", "tls")) {
      List<HasMetadata> all = rendered("overlays/" + overlay);
      try {
        checkNodes(all);
      } catch (AssertionError e) {
        throw new AssertionError("overlays/" + overlay + ": " + e.getMessage(), e);
      }
      for (HasMetadata o : all) {
        if (!(o instanceof io.fabric8.kubernetes.api.model.Namespace)) {
          assertEquals("gmpsim", o.getMetadata().getNamespace(), overlay + ": " + o.getKind());
        }
      }
      Deployment d = only(all, Deployment.class);
      Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
      Map<String, Object> env = podEnv(c);
      switch (overlay) {
        case "dev" -> {
          assertEquals(1, d.getSpec().getReplicas());
          assertEquals("1", env.get("REQUIRED_CONTACT_POINT_NR"), "one pod forms the dev cluster");
        }
        case "large" -> {
          assertEquals(12, d.getSpec().getReplicas());
          assertEquals("8", env.get("GMPSIM_PARALLELISM"));
        }
        default -> checkTls(d.getSpec().getTemplate().getSpec(), c, env);
      }
    }
  }

  /** The key store is a file of the mounted Secret, where the configuration looks for it. */
  private static void checkTls(io.fabric8.kubernetes.api.model.PodSpec pod, Container c, Map<String, Object> env) {
    Config cfg = podConfig(env);
    assertEquals("tls-tcp", cfg.getString("akka.remote.artery.transport"));
    String keyStore = cfg.getString("akka.remote.artery.ssl.config-ssl-engine.key-store");
    assertEquals(keyStore, cfg.getString("akka.remote.artery.ssl.config-ssl-engine.trust-store"));
    Path file = Path.of(keyStore);
    var mount = c.getVolumeMounts().stream().filter(v -> v.getMountPath().equals(file.getParent().toString()))
        .findFirst().orElseThrow(() -> new AssertionError("nothing is mounted at " + file.getParent()));
    assertTrue(mount.getReadOnly());
    var volume = pod.getVolumes().stream()
        .filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
    String secret = volume.getSecret().getSecretName();
    assertEquals("cluster.p12", file.getFileName().toString(), "the key the README's kubectl create secret makes");
    EnvVar password = c.getEnv().stream().filter(e -> e.getName().equals("GMPSIM_TLS_PASSWORD")).findFirst().orElseThrow();
    assertEquals(secret, password.getValueFrom().getSecretKeyRef().getName());
    assertEquals("password", password.getValueFrom().getSecretKeyRef().getKey());
  }

  @Test
  void theTlsSweepJobSpeaksTlsWithTheNodesKey() throws Exception {
    Job job = only(rendered("sweep-tls"), Job.class);
    var pod = job.getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);
    checkTls(pod, c, podEnv(c));
    // The same Secret, file and mount as the nodes of overlays/tls.
    Deployment d = only(rendered("overlays/tls"), Deployment.class);
    Container node = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    for (String name : List.of("GMPSIM_TRANSPORT", "GMPSIM_TLS_KEYSTORE", "GMPSIM_TLS_TRUSTSTORE", "GMPSIM_TLS_PASSWORD")) {
      assertEquals(env(node, name), env(c, name), name);
    }
    assertEquals(only(rendered("sweep"), Job.class).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs(),
        c.getArgs(), "otherwise the same Job");
  }

  private static EnvVar env(Container c, String name) {
    return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError(c.getName() + " does not set " + name));
  }

  @Test
  void theSweepRendersWithItsConfigMapVolumeAndAccount() throws Exception {
    List<HasMetadata> sweep = rendered("sweep");
    Job job = only(sweep, Job.class);
    var spec = job.getSpec().getTemplate().getSpec();
    ConfigMap cm = only(sweep, ConfigMap.class);
    var sweepVolume = spec.getVolumes().stream().filter(v -> v.getConfigMap() != null).findFirst().orElseThrow();
    assertEquals(cm.getMetadata().getName(), sweepVolume.getConfigMap().getName());
    var mount = spec.getContainers().get(0).getVolumeMounts().stream()
        .filter(v -> v.getName().equals(sweepVolume.getName())).findFirst().orElseThrow();
    String script = String.join("\n", spec.getContainers().get(0).getArgs());
    for (String key : cm.getData().keySet()) {
      assertTrue(script.contains(mount.getMountPath() + "/" + key), "the Job reads " + key);
    }
    assertEquals(Files.readString(K8S.resolve("sweep/sweep.yaml")), cm.getData().get("sweep.yaml"));
    PersistentVolumeClaim pvc = only(sweep, PersistentVolumeClaim.class);
    assertTrue(spec.getVolumes().stream().anyMatch(v -> v.getPersistentVolumeClaim() != null
        && v.getPersistentVolumeClaim().getClaimName().equals(pvc.getMetadata().getName())));
    for (HasMetadata o : sweep) {
      assertEquals("gmpsim", o.getMetadata().getNamespace(), o.getKind());
    }
    assertEquals(only(load(K8S.resolve("base")), ServiceAccount.class).getMetadata().getName(), spec.getServiceAccountName());
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
