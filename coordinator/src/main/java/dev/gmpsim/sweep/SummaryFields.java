package dev.gmpsim.sweep;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import dev.gmpsim.protocol.result.RunSummary;
import java.util.ArrayList;
import java.util.List;

/**
 * The dotted names of summary.json's fields ({@code threads.peak}, {@code retakes},
 * {@code requestLatencyNs.p99}), found from {@link RunSummary} the way Jackson writes it, so
 * the list follows the summary as it changes. Map-valued fields ({@code syscallTable}) take any
 * entry below them ({@code syscallTable.read.calls}).
 */
public final class SummaryFields {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Every fixed leaf field, in summary.json's order. */
  static final List<String> LEAVES;
  /** Fields holding maps: their entries are named at run time. */
  static final List<String> MAPS;

  static {
    List<String> leaves = new ArrayList<>();
    List<String> maps = new ArrayList<>();
    walk(JSON.constructType(RunSummary.class), "", leaves, maps);
    LEAVES = List.copyOf(leaves);
    MAPS = List.copyOf(maps);
  }

  private SummaryFields() {}

  /** Every fixed leaf field of summary.json, in its order: what a sweep records by default. */
  public static List<String> leaves() {
    return LEAVES;
  }

  private static void walk(JavaType t, String prefix, List<String> leaves, List<String> maps) {
    for (BeanPropertyDefinition d : JSON.getSerializationConfig().introspect(t).findProperties()) {
      if (!d.couldSerialize()) {
        continue;
      }
      String name = prefix + d.getName();
      if (name.equals("settings")) {
        continue; // the run's inputs, not a result: a sweep's columns already hold its parameters
      }
      if (name.equals("faults")) {
        continue; // a list of firings per declared fault, absent without faults: not a metric column
      }
      JavaType pt = d.getPrimaryType();
      if (pt.isMapLikeType()) {
        maps.add(name);
      } else if (pt.getRawClass().isRecord()) {
        walk(pt, name + ".", leaves, maps);
      } else {
        leaves.add(name);
      }
    }
  }

  /** True if {@code name} is a field of the summary (a leaf, a group of leaves, or a map entry). */
  static boolean valid(String name) {
    if (LEAVES.contains(name) || MAPS.contains(name)) {
      return true;
    }
    for (String l : LEAVES) {
      if (l.startsWith(name + ".")) {
        return true;
      }
    }
    for (String m : MAPS) {
      if (name.startsWith(m + ".") && name.length() > m.length() + 1) {
        return true;
      }
    }
    return false;
  }

  /** Every valid name (leaves, their groups and maps), for hints. */
  static List<Object> names() {
    List<Object> out = new ArrayList<>(LEAVES);
    for (String l : LEAVES) {
      int dot = l.indexOf('.');
      if (dot > 0 && !out.contains(l.substring(0, dot))) {
        out.add(l.substring(0, dot));
      }
    }
    out.addAll(MAPS);
    return out;
  }
}
