package dev.gmpsim.protocol.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;
import java.util.Locale;

/**
 * A group of goroutines in the workload.
 *
 * <ul>
 *   <li>{@code connections}: {@code count} goroutines, one per connection, each parked on the
 *       netpoller until its client sends a request ({@code think} after the last response), then
 *       running {@code steps}: a keep-alive server.
 *   <li>{@code arrivals}: an accept loop readying at {@code rate} (Poisson, optionally in
 *       {@code bursts}) and spawning a goroutine that runs {@code steps} and exits.
 *   <li>{@code goroutines}: {@code count} goroutines running {@code steps} once.
 * </ul>
 */
public record Group(
    String name,
    Kind kind,
    Integer count,
    String rate,
    Bursts bursts,
    Dist think,
    List<Step> steps,
    @JsonDeserialize(using = NanosDeserializer.class) Long start) {

  public enum Kind {
    CONNECTIONS,
    ARRIVALS,
    GOROUTINES;

    @JsonCreator
    public static Kind of(String s) {
      return valueOf(s.toUpperCase(Locale.ROOT));
    }

    @JsonValue
    public String yaml() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Arrivals come only during {@code on} periods, separated by {@code off} periods. */
  public record Bursts(
      @JsonDeserialize(using = NanosDeserializer.class) Long on,
      @JsonDeserialize(using = NanosDeserializer.class) Long off) {
    public Bursts {
      FieldException.require(on != null && on > 0, "on", "bursts need a positive 'on' period");
      FieldException.require(off != null && off >= 0, "off", "bursts need an 'off' period >= 0");
    }
  }

  public Group {
    FieldException.require(kind != null, "kind", "a group needs a kind: connections, arrivals or goroutines");
    name = name == null ? kind.yaml() : name;
    count = count == null ? 1 : count;
    FieldException.require(count >= 1, "count", "count must be at least 1, got %d", count);
    FieldException.require(
        steps != null && !steps.isEmpty(), "steps", "group '%s' needs steps", name);
    steps = List.copyOf(steps);
    start = start == null ? 0L : start;
    FieldException.require(start >= 0, "start", "start cannot be negative");
    if (kind == Kind.ARRIVALS) {
      FieldException.require(rate != null, "rate", "arrivals need a rate such as 1000/s");
      double r;
      try {
        r = Nanos.parseRate(rate);
      } catch (IllegalArgumentException e) {
        throw new FieldException("rate", e.getMessage());
      }
      FieldException.require(r > 0, "rate", "rate must be positive");
    }
    if (kind == Kind.CONNECTIONS) {
      think = think == null ? Dist.constant(0) : think;
    }
  }

  /** Arrivals per second (arrivals groups only). */
  public double ratePerSecond() {
    return rate == null ? 0 : Nanos.parseRate(rate);
  }
}
