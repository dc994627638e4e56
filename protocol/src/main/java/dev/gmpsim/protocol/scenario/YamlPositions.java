package dev.gmpsim.protocol.scenario;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Line and column of a dotted key path ("parameters[0].range.steps") in a YAML text, from
 * SnakeYAML's node marks (Jackson's tree keeps no positions). The text is composed once.
 * Used for scenario and sweep files alike.
 */
public final class YamlPositions {
  private final Node root;

  public YamlPositions(String text) {
    Node n;
    try {
      n = new Yaml(new LoaderOptions()).compose(new StringReader(text));
    } catch (RuntimeException e) {
      n = null;
    }
    root = n;
  }

  /**
   * The position (1-based line and column) of the key (or list item) named by {@code dotted}, or
   * of its nearest ancestor that exists; null if not even the first key is in the text.
   */
  public int[] of(String dotted) {
    if (root == null || dotted == null || dotted.isEmpty()) {
      return null;
    }
    Node node = root;
    Node keyNode = null;
    for (String part : dotted.split("\\.")) {
      String field = part;
      List<Integer> indices = new ArrayList<>();
      int br = part.indexOf('[');
      if (br >= 0) {
        field = part.substring(0, br);
        for (String ix : part.substring(br + 1).split("\\[")) {
          try {
            indices.add(Integer.parseInt(ix.replace("]", "")));
          } catch (NumberFormatException e) {
            return keyNode == null ? null : mark(keyNode);
          }
        }
      }
      if (!field.isEmpty()) {
        if (!(node instanceof MappingNode map)) {
          return keyNode == null ? null : mark(keyNode);
        }
        Node next = null;
        for (NodeTuple t : map.getValue()) {
          if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(field)) {
            keyNode = k;
            next = t.getValueNode();
          }
        }
        if (next == null) {
          return keyNode == null ? null : mark(keyNode);
        }
        node = next;
      }
      for (int ix : indices) {
        if (!(node instanceof SequenceNode seq) || ix >= seq.getValue().size()) {
          return keyNode == null ? null : mark(keyNode);
        }
        node = seq.getValue().get(ix);
        keyNode = node;
      }
    }
    return keyNode == null ? null : mark(keyNode);
  }

  private static int[] mark(Node n) {
    return new int[] {n.getStartMark().getLine() + 1, n.getStartMark().getColumn() + 1};
  }
}
