package dev.gmpsim.protocol.scenario;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The program's own synchronisation, declared by name: channels (capacity 0 is unbuffered: a
 * send waits for its receiver), sync.WaitGroups with the count they start at (as after
 * {@code wg.Add(n)}), flags (atomic.Bool, false at the start), and pipes (os.Pipe: a reader
 * parks on the netpoller until a writer's write, a close or its deadline), each name with how
 * many: goroutine i of a group uses pipe i modulo that count, so N pairs need one name.
 */
public record Sync(Map<String, Integer> channels, Map<String, Integer> waitgroups, List<String> flags,
    // Left out of the JSON when empty, so run ids of sync blocks without pipes stay as they were.
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
    Map<String, Integer> pipes) {
  public static final Sync NONE = new Sync(null, null, null, null);

  public Sync(Map<String, Integer> channels, Map<String, Integer> waitgroups, List<String> flags) {
    this(channels, waitgroups, flags, null);
  }

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
    pipes = pipes == null ? Map.of() : new TreeMap<>(pipes);
    for (Map.Entry<String, Integer> e : pipes.entrySet()) {
      FieldException.require(e.getValue() != null && e.getValue() >= 1, "pipes",
          "pipe '%s' needs a count of 1 or more (one pipe for each goroutine index up to it)", e.getKey());
    }
    FieldException.require(new java.util.HashSet<>(flags).size() == flags.size(), "flags", "a flag is named twice");
  }

  /** Why {@code s} names something not declared here, or null. */
  String undeclared(Step s) {
    if (s instanceof Step.Send x) {
      return missing(channels.containsKey(x.channel()), "channel", x.channel(), "channels");
    } else if (s instanceof Step.Recv x) {
      return missing(channels.containsKey(x.channel()), "channel", x.channel(), "channels");
    } else if (s instanceof Step.Close x) {
      return missing(channels.containsKey(x.channel()), "channel", x.channel(), "channels");
    } else if (s instanceof Step.Done x) {
      return missing(waitgroups.containsKey(x.waitgroup()), "waitgroup", x.waitgroup(), "waitgroups");
    } else if (s instanceof Step.Wait x) {
      return missing(waitgroups.containsKey(x.waitgroup()), "waitgroup", x.waitgroup(), "waitgroups");
    } else if (s instanceof Step.Set x) {
      return missing(flags.contains(x.flag()), "flag", x.flag(), "flags");
    } else if (s instanceof Step.PipeWrite x) {
      return missing(pipes.containsKey(x.pipe()), "pipe", x.pipe(), "pipes");
    } else if (s instanceof Step.PipeRead x) {
      return missing(pipes.containsKey(x.pipe()), "pipe", x.pipe(), "pipes");
    } else if (s instanceof Step.PipeClose x) {
      return missing(pipes.containsKey(x.pipe()), "pipe", x.pipe(), "pipes");
    } else if (s instanceof Step.Loop l && l.untilSet() != null) {
      return missing(flags.contains(l.untilSet()), "flag", l.untilSet(), "flags");
    }
    return null;
  }

  private static String missing(boolean declared, String what, String name, String key) {
    return declared ? null : what + " '" + name + "' is not declared under sync." + key;
  }
}
