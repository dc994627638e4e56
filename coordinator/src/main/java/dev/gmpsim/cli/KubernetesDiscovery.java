package dev.gmpsim.cli;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks, before the node starts, what the kubernetes-api discovery will need, so that a node
 * outside a pod (or a pod without its service account) fails in a second with one line instead
 * of retrying the API forever.
 */
final class KubernetesDiscovery {
  private KubernetesDiscovery() {}

  static void check(Config cfg) throws UserError {
    Config k = cfg.getConfig("akka.discovery.kubernetes-api");
    String hostEnv = k.getString("api-service-host-env-name");
    String portEnv = k.getString("api-service-port-env-name");
    if (blank(System.getenv(hostEnv)) || blank(System.getenv(portEnv))) {
      throw new UserError("--config kubernetes: " + hostEnv + " and " + portEnv
          + " must name the Kubernetes API (set in every pod); not in a pod? use --seed-nodes");
    }
    for (String key : new String[] {"api-token-path", "api-ca-path"}) {
      Path p = Path.of(k.getString(key));
      if (!Files.isReadable(p)) {
        throw new UserError("--config kubernetes: cannot read " + p + " (akka.discovery.kubernetes-api."
            + key + "; is a service account mounted?)");
      }
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
