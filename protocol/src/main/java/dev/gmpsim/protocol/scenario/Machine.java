package dev.gmpsim.protocol.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;

/**
 * The machine beneath the runtime: the CPUs the process's threads run on and the CPU demand of
 * the other processes on it ({@code background}, in CPUs). Declaring it turns on the kernel's CPU
 * scheduler model (docs/costs.md, "CPUs"); without it threads never wait for a CPU, as before.
 * {@code runtime.cpus} is an alias of {@code cpus} (see {@link Scenario}).
 */
public record Machine(
    Integer cpus,
    Background background,
    // false: sleeps end a sampled slack late (costs.timer-slack) instead of by the kernel's timers.
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        Boolean kernelTimers) {
  public static final Machine NONE = new Machine(null, null, null);

  public Machine(Integer cpus, Background background) {
    this(cpus, background, null);
  }

  /** Jackson's value filter: true (leave out) when no machine is declared. */
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

  public Machine {
    FieldException.require(
        cpus == null || (cpus >= 1 && cpus <= 1024), "cpus", "cpus must be 1..1024, got %d", cpus);
    background = background == null ? Background.NONE : background;
    if (cpus != null) {
      Phase over = background.above(cpus);
      FieldException.require(over == null, "background",
          "background asks for %s CPUs%s, more than the machine's %d cpus",
          over == null ? "" : fmt(over.cpus()),
          over == null || over.at() == 0 ? "" : " from " + Nanos.format(over.at()), cpus);
    }
  }

  /** True when the CPU model is on: a machine was declared. */
  public boolean declared() {
    return !NONE.equals(this);
  }

  /** True when the kernel's timers decide when sleeps end (docs/costs.md, "Timers"): the default with a machine. */
  public boolean timers() {
    return declared() && !Boolean.FALSE.equals(kernelTimers);
  }

  /** The same machine with {@code n} CPUs (runtime.cpus given without machine.cpus). */
  public Machine withCpus(int n) {
    return new Machine(n, background, kernelTimers);
  }

  static String fmt(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  /** One step of the background load: {@code cpus} CPUs busy from {@code at} on. */
  public record Phase(@JsonDeserialize(using = NanosDeserializer.class) Long at, Double cpus) {
    public Phase {
      at = at == null ? 0L : at;
      FieldException.require(at >= 0, "at", "at cannot be negative");
      FieldException.require(cpus != null, "cpus", "each background step needs cpus: (e.g. cpus: 0.5)");
      FieldException.require(cpus >= 0 && !cpus.isNaN(), "cpus", "background cannot be negative, got %s", fmt(cpus));
    }
  }

  /**
   * Other processes' CPU demand over time: a number ({@code background: 0.5}) is that many CPUs
   * all the time; {@code background: {from: [{at: 0s, cpus: 0.5}, {at: 1s, cpus: 1.5}]}} is a
   * step function (0 before the first step).
   */
  public record Background(List<Phase> from) {
    public static final Background NONE = new Background(List.of());

    public Background {
      from = from == null ? List.of() : List.copyOf(from);
      for (int i = 1; i < from.size(); i++) {
        FieldException.require(from.get(i).at() > from.get(i - 1).at(), "from",
            "the background steps must be in increasing at: order (%s after %s)",
            Nanos.format(from.get(i).at()), Nanos.format(from.get(i - 1).at()));
      }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Background of(double cpus) {
      FieldException.require(cpus >= 0 && !Double.isNaN(cpus), "", "background cannot be negative, got %s", fmt(cpus));
      return cpus == 0 ? NONE : new Background(List.of(new Phase(0L, cpus)));
    }

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    static Background ofSteps(@com.fasterxml.jackson.annotation.JsonProperty("from") List<Phase> from) {
      return new Background(from);
    }

    /** The background CPUs at virtual time {@code t}. */
    public double at(long t) {
      double v = 0;
      for (Phase p : from) {
        if (p.at() > t) {
          break;
        }
        v = p.cpus();
      }
      return v;
    }

    /** The first step above {@code cpus}, or null. */
    Phase above(int cpus) {
      for (Phase p : from) {
        if (p.cpus() > cpus) {
          return p;
        }
      }
      return null;
    }

    /** As a file writes it: a number when constant from 0. */
    @JsonValue
    public Object yaml() {
      if (from.isEmpty()) {
        return 0.0;
      }
      if (from.size() == 1 && from.get(0).at() == 0) {
        return from.get(0).cpus();
      }
      return java.util.Map.of("from", from);
    }

    /** Whole CPU-nanoseconds of background demand between {@code a} and {@code b}. */
    public double cpuNs(long a, long b) {
      double ns = 0;
      for (int i = 0; i < from.size(); i++) {
        long s = Math.max(a, from.get(i).at());
        long e = i + 1 < from.size() ? Math.min(b, from.get(i + 1).at()) : b;
        if (e > s) {
          ns += from.get(i).cpus() * (e - s);
        }
      }
      return ns;
    }
  }
}
