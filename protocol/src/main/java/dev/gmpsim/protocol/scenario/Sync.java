package dev.gmpsim.protocol.scenario;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The program's own synchronisation, declared by name: channels (capacity 0 is unbuffered: a
 * send waits for its receiver), sync.WaitGroups with the count they start at (as after
 * {@code wg.Add(n)}), and flags (atomic.Bool, false at the start).
 */
public record Sync(Map<String, Integer> channels, Map<String, Integer> waitgroups, List<String> flags) {
  public static final Sync NONE = new Sync(null, null, null);

  /** Jackson's value filter: true (leave out) for a block that declares nothing. */
  public static final class IsNone {
    @Override
    public boolean equals(Object o) {
      return o == null || NONE.equals(o);
    }

    @Override
    public int hashCode() {
      return 0;
    }
  }

  public Sync {
    channels = channels == null ? Map.of() : new TreeMap<>(channels);
    for (Map.Entry<String, Integer> e : channels.entrySet()) {
      FieldException.require(e.getValue() != null && e.getValue() >= 0, "channels",
          "channel '%s' needs a capacity of 0 (unbuffered) or more", e.getKey());
    }
    waitgroups = waitgroups == null ? Map.of() : new TreeMap<>(waitgroups);
    for (Map.Entry<String, Integer> e : waitgroups.entrySet()) {
      FieldException.require(e.getValue() != null && e.getValue() >= 0, "waitgroups",
          "waitgroup '%s' needs a count of 0 or more", e.getKey());
    }
    flags = flags == null ? List.of() : List.copyOf(flags);
  }

  /** Why {@code s} names something not declared here, or null. */
  String undeclared(Step s) {
    if (s instanceof Step.Send x && !channels.containsKey(x.channel())) {
      return "channel '" + x.channel() + "' is not declared under sync.channels";
    } else if (s instanceof Step.Recv x && !channels.containsKey(x.channel())) {
      return "channel '" + x.channel() + "' is not declared under sync.channels";
    } else if (s instanceof Step.Close x && !channels.containsKey(x.channel())) {
      return "channel '" + x.channel() + "' is not declared under sync.channels";
    } else if (s instanceof Step.Done x && !waitgroups.containsKey(x.waitgroup())) {
      return "waitgroup '" + x.waitgroup() + "' is not declared under sync.waitgroups";
    } else if (s instanceof Step.Wait x && !waitgroups.containsKey(x.waitgroup())) {
      return "waitgroup '" + x.waitgroup() + "' is not declared under sync.waitgroups";
    } else if (s instanceof Step.Set x && !flags.contains(x.flag())) {
      return "flag '" + x.flag() + "' is not declared under sync.flags";
    } else if (s instanceof Step.Loop l && l.untilSet() != null && !flags.contains(l.untilSet())) {
      return "flag '" + l.untilSet() + "' is not declared under sync.flags";
    }
    return null;
  }
}
