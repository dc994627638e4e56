package dev.gmpsim.protocol.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;
import java.util.Locale;

/**
 * A group of goroutines in the workload.
 *
 * <ul>
 *   <li>{@code connections}: {@code count} goroutines, one per connection, each parked on the
 *       netpoller until its client sends a request ({@code think} after the last response, or
 *       with {@code interval} every interval whether or not the answers keep up), then running
 *       {@code steps}: a keep-alive server.
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
    Arrival arrival,
    List<RatePoint> rateSchedule,
    Bursts bursts,
    Dist think,
    Dist interval,
    List<Step> steps,
    @JsonDeserialize(using = NanosDeserializer.class) Long start,
    // The three below are left out of the JSON when unset, so run ids of groups without them stay.
    @JsonInclude(JsonInclude.Include.NON_NULL) @JsonDeserialize(using = NanosDeserializer.class) Long startAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) StartWhen startWhen,
    @JsonInclude(JsonInclude.Include.NON_NULL) @JsonDeserialize(using = NanosDeserializer.class) Long tick) {

  public Group(String name, Kind kind, Integer count, String rate, Arrival arrival, List<RatePoint> rateSchedule,
      Bursts bursts, Dist think, Dist interval, List<Step> steps, Long start) {
    this(name, kind, count, rate, arrival, rateSchedule, bursts, think, interval, steps, start, null, null, null);
  }

  /**
   * A point another group reaches: a flag it sets ({@code set:}) or a WaitGroup it counts down to
   * zero ({@code done:}); exactly one of the two.
   */
  public record StartWhen(String flag, String waitgroup) {
    public StartWhen {
      FieldException.require((flag == null) != (waitgroup == null), "",
          "start-when takes one of flag: NAME or waitgroup: NAME");
    }
  }

  public enum Kind {
    CONNECTIONS,
    ARRIVALS,
    GOROUTINES;

    @JsonCreator
    public static Kind of(String s) {
      return FieldException.choice(Kind.class, "kind", s);
    }

    @JsonValue
    public String yaml() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How arrivals are spaced: a Poisson process (default) or evenly. */
  public enum Arrival {
    POISSON,
    CONSTANT;

    @JsonCreator
    public static Arrival of(String s) {
      return FieldException.choice(Arrival.class, "arrival", s);
    }

    @JsonValue
    public String yaml() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** From {@code at} on, arrivals come at {@code rate} (until the next point). */
  public record RatePoint(@JsonDeserialize(using = NanosDeserializer.class) Long at, String rate) {
    public RatePoint {
      FieldException.require(at != null && at >= 0, "at", "a rate-schedule point needs at: >= 0");
      FieldException.require(rate != null, "rate", "a rate-schedule point needs a rate");
      try {
        FieldException.require(Nanos.parseRate(rate) >= 0, "rate", "rate cannot be negative");
      } catch (IllegalArgumentException e) {
        if (e instanceof FieldException) {
          throw e;
        }
        throw new FieldException("rate", e.getMessage());
      }
    }

    public double perSecond() {
      return Nanos.parseRate(rate);
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
    FieldException.require(startAt == null || start == 0, "start-at",
        "give start (a delay) or start-at (a time in the run), not both");
    arrival = arrival == null ? Arrival.POISSON : arrival;
    if (kind == Kind.ARRIVALS) {
      FieldException.require(
          rate != null || rateSchedule != null, "rate", "arrivals need a rate such as 1000/s, or a rate-schedule");
      FieldException.require(
          rate == null || rateSchedule == null, "rate-schedule", "give either rate or rate-schedule, not both");
      FieldException.require(
          bursts == null || rateSchedule == null, "bursts", "bursts and rate-schedule do not go together");
      if (rate != null) {
        double r;
        try {
          r = Nanos.parseRate(rate);
        } catch (IllegalArgumentException e) {
          throw new FieldException("rate", e.getMessage());
        }
        FieldException.require(r > 0, "rate", "rate must be positive");
      } else {
        FieldException.require(!rateSchedule.isEmpty(), "rate-schedule", "rate-schedule needs at least one point");
        rateSchedule = List.copyOf(rateSchedule);
        for (int i = 1; i < rateSchedule.size(); i++) {
          FieldException.require(
              rateSchedule.get(i).at() > rateSchedule.get(i - 1).at(), "rate-schedule",
              "rate-schedule points must be in increasing time order");
        }
      }
    }
    if (kind != Kind.ARRIVALS) {
      FieldException.require(rate == null, "rate", "rate is for arrivals groups");
      FieldException.require(rateSchedule == null, "rate-schedule", "rate-schedule is for arrivals groups");
      FieldException.require(bursts == null, "bursts", "bursts is for arrivals groups");
    }
    if (kind == Kind.CONNECTIONS) {
      FieldException.require(
          think == null || interval == null, "interval",
          "give think (the client waits for each answer) or interval (it does not), not both");
      FieldException.require(tick == null || (think == null && interval == null), "tick",
          "give one of think, interval or tick (a ticker that waits for each answer)");
      FieldException.require(tick == null || tick > 0, "tick", "tick must be positive");
      // Back-to-back requests are a choice to write down (think: 0), not a default.
      FieldException.require(
          think != null || interval != null || tick != null, "",
          "a connections group needs think: (from each answer to the next request; think: 0 for back to back)"
              + ", interval: (a request every interval) or tick: (at most one request a tick, each after the answer)");
    } else {
      FieldException.require(think == null, "think", "think is for connections groups");
      FieldException.require(interval == null, "interval", "interval is for connections groups");
      FieldException.require(tick == null, "tick", "tick is for connections groups");
    }
  }

  /** Arrivals per second (arrivals groups only). */
  public double ratePerSecond() {
    return rate == null ? 0 : Nanos.parseRate(rate);
  }
}
