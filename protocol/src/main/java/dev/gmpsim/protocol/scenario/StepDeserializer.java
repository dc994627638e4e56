package dev.gmpsim.protocol.scenario;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Reads the one-key-map step notation, keeping Jackson's location for error messages. */
final class StepDeserializer extends StdDeserializer<Step> {
  static final List<String> KINDS =
      List.of(
          "compute", "syscall", "syscall-block", "raw-syscall", "cgo", "vdso", "net-read", "net-write", "sleep",
          "acquire", "release", "lock-os-thread", "unlock-os-thread", "spawn", "loop", "gosched",
          "block", "exit", "file-read", "call", "request-start", "request-end",
          "send", "recv", "close", "done", "wait", "set", "pipe-write", "pipe-read", "pipe-close", "alloc");

  private static final TypeReference<List<Step>> STEPS = new TypeReference<>() {};

  StepDeserializer() {
    super(Step.class);
  }

  @Override
  public Step deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_STRING) {
      return bare(p, ctxt, p.getText());
    }
    if (p.currentToken() != JsonToken.START_OBJECT) {
      return (Step) ctxt.handleUnexpectedToken(Step.class, p);
    }
    String kind = p.nextFieldName();
    if (kind == null) {
      ctxt.reportInputMismatch(this, "a step needs a kind, one of %s", KINDS);
    }
    p.nextToken();
    Step step = withArgument(p, ctxt, kind);
    if (p.nextToken() != JsonToken.END_OBJECT) {
      ctxt.reportInputMismatch(
          this, "a step has exactly one key (its kind); found another: '%s'", p.currentName());
    }
    return step;
  }

  private Step bare(JsonParser p, DeserializationContext ctxt, String kind) throws IOException {
    return switch (kind) {
      case "lock-os-thread" -> new Step.LockOSThread();
      case "unlock-os-thread" -> new Step.UnlockOSThread();
      case "net-write" -> new Step.NetWrite();
      case "gosched" -> new Step.Gosched();
      case "block" -> new Step.Block();
      case "exit" -> new Step.Exit();
      case "request-start" -> new Step.RequestStart();
      case "request-end" -> new Step.RequestEnd();
      default -> {
        if (KINDS.contains(kind)) {
          ctxt.reportInputMismatch(this, "step '%s' needs an argument", kind);
        }
        throw unknown(p, kind);
      }
    };
  }

  private Step withArgument(JsonParser p, DeserializationContext ctxt, String kind)
      throws IOException {
    switch (kind) {
      case "compute":
        return new Step.Compute(dist(p, ctxt));
      case "cgo":
        {
          if (p.currentToken() == JsonToken.START_OBJECT) {
            Map<String, String> args = args(p, ctxt, kind, List.of("duration", "wakeup"));
            if (!args.containsKey("duration")) {
              ctxt.reportInputMismatch(this, "cgo needs a duration");
            }
            return new Step.Cgo(parse(ctxt, args.get("duration")), optional(ctxt, args.get("wakeup")));
          }
          return new Step.Cgo(dist(p, ctxt));
        }
      case "sleep":
        return new Step.Sleep(dist(p, ctxt));
      case "raw-syscall":
        {
          if (p.currentToken() == JsonToken.START_OBJECT) {
            Map<String, String> args = args(p, ctxt, kind, List.of("name", "duration"));
            if (!args.containsKey("duration")) {
              ctxt.reportInputMismatch(this, "raw-syscall needs a duration");
            }
            return new Step.RawSyscall(args.getOrDefault("name", "rawsyscall"), parse(ctxt, args.get("duration")));
          }
          return new Step.RawSyscall("rawsyscall", dist(p, ctxt));
        }
      case "vdso":
        if (p.currentToken() == JsonToken.VALUE_NULL) {
          return new Step.Vdso("clock_gettime");
        }
        if (p.currentToken() != JsonToken.VALUE_STRING) {
          ctxt.reportInputMismatch(this, "vdso takes the call's name, such as clock_gettime, got %s", found(p));
        }
        return new Step.Vdso(p.getText());
      case "acquire":
        return new Step.Acquire(text(p, ctxt, kind));
      case "release":
        return new Step.Release(text(p, ctxt, kind));
      case "send":
        return new Step.Send(text(p, ctxt, kind));
      case "recv":
        return new Step.Recv(text(p, ctxt, kind));
      case "close":
        return new Step.Close(text(p, ctxt, kind));
      case "done":
        return new Step.Done(text(p, ctxt, kind));
      case "wait":
        return new Step.Wait(text(p, ctxt, kind));
      case "set":
        return new Step.Set(text(p, ctxt, kind));
      case "pipe-write":
        return new Step.PipeWrite(text(p, ctxt, kind));
      case "pipe-read":
        {
          if (p.currentToken() == JsonToken.START_OBJECT) {
            Map<String, String> args = args(p, ctxt, kind, List.of("pipe", "deadline", "on-error"));
            if (!args.containsKey("pipe")) {
              ctxt.reportInputMismatch(this, "pipe-read needs a pipe: {pipe: NAME, deadline: 10ms}");
            }
            Step.OnError onError = args.containsKey("on-error") ? Step.OnError.of(args.get("on-error")) : null;
            return new Step.PipeRead(args.get("pipe"), optional(ctxt, args.get("deadline")), onError);
          }
          return new Step.PipeRead(text(p, ctxt, kind), null, null);
        }
      case "pipe-close":
        {
          if (p.currentToken() == JsonToken.START_OBJECT) {
            Map<String, String> args = args(p, ctxt, kind, List.of("pipe", "end"));
            if (!args.containsKey("pipe")) {
              ctxt.reportInputMismatch(this, "pipe-close needs a pipe: {pipe: NAME, end: write}");
            }
            return new Step.PipeClose(args.get("pipe"), args.containsKey("end") ? Step.End.of(args.get("end")) : null);
          }
          return new Step.PipeClose(text(p, ctxt, kind), null);
        }
      case "spawn":
        return new Step.Spawn(ctxt.readValue(p, ctxt.getTypeFactory().constructType(STEPS)));
      case "syscall":
      case "syscall-block":
        {
          String name = "syscall";
          Dist d;
          Dist wakeup = null;
          if (p.currentToken() == JsonToken.START_OBJECT) {
            Map<String, String> args =
                args(p, ctxt, kind, List.of("name", "duration", "wakeup"));
            name = args.getOrDefault("name", name);
            if (!args.containsKey("duration")) {
              ctxt.reportInputMismatch(this, "%s needs a duration", kind);
            }
            d = parse(ctxt, args.get("duration"));
            wakeup = optional(ctxt, args.get("wakeup"));
          } else {
            d = dist(p, ctxt);
          }
          return kind.equals("syscall")
              ? new Step.Syscall(name, d, wakeup)
              : new Step.SyscallBlock(name, d, wakeup);
        }
      case "net-read":
        {
          if (p.currentToken() == JsonToken.START_OBJECT) {
            Map<String, String> args = args(p, ctxt, kind, List.of("wait", "every", "first"));
            Dist every = optional(ctxt, args.get("every"));
            if (every == null && args.containsKey("first")) {
              ctxt.reportInputMismatch(this, "net-read: 'first' goes with 'every'");
            }
            if (every != null && args.containsKey("wait")) {
              ctxt.reportInputMismatch(this, "net-read: give 'wait' (closed loop) or 'every' (open loop), not both");
            }
            return new Step.NetRead(
                parse(ctxt, args.getOrDefault("wait", "0")), every, optional(ctxt, args.get("first")));
          }
          return new Step.NetRead(dist(p, ctxt));
        }
      case "loop":
        return loop(p, ctxt);
      case "call":
        return new Step.Call(text(p, ctxt, kind));
      case "file-read":
        return fileRead(p, ctxt);
      case "alloc":
        {
          if (!p.currentToken().isScalarValue() || p.currentToken() == JsonToken.VALUE_NULL) {
            ctxt.reportInputMismatch(this, "alloc takes a size such as 10KB, got %s", found(p));
          }
          try {
            return new Step.Alloc(Bytes.parseWithUnit(p.getText()));
          } catch (FieldException e) {
            throw e;
          } catch (IllegalArgumentException e) {
            ctxt.reportInputMismatch(this, "alloc: %s", e.getMessage());
            return null;
          }
        }
      default:
        if (KINDS.contains(kind)) {
          // A bare kind written as a key with an empty value: "- exit:".
          if (p.currentToken() != JsonToken.VALUE_NULL) {
            ctxt.reportInputMismatch(this, "%s takes no argument (write '- %s'), got %s", kind, kind, found(p));
          }
          return bare(p, ctxt, kind);
        }
        throw unknown(p, kind);
    }
  }

  private Step loop(JsonParser p, DeserializationContext ctxt) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      ctxt.reportInputMismatch(
          this, "loop takes {count: N, steps: [...]} (count 0 = forever), or {until: 2s, ...}");
    }
    int count = 0;
    List<Step> steps = null;
    Long until = null;
    Long forNs = null;
    String untilSet = null;
    for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
      p.nextToken();
      switch (key) {
        case "count" -> count = loopCount(p, ctxt);
        case "steps" -> steps = ctxt.readValue(p, ctxt.getTypeFactory().constructType(STEPS));
        case "until" -> until = duration(p, ctxt, key);
        case "for" -> forNs = duration(p, ctxt, key);
        case "until-set" -> untilSet = text(p, ctxt, "until-set");
        default -> throw UnrecognizedPropertyException.from(
            p, Step.Loop.class, key, List.<Object>of("count", "steps", "until", "for", "until-set"));
      }
    }
    if (steps == null) {
      ctxt.reportInputMismatch(this, "loop needs steps");
    }
    return new Step.Loop(count, steps, until, forNs, untilSet);
  }

  private int loopCount(JsonParser p, DeserializationContext ctxt) throws IOException {
    if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
      ctxt.reportInputMismatch(this, "loop count must be a whole number (0 = forever), got %s", found(p));
    }
    if (p.getNumberType() != JsonParser.NumberType.INT) {
      ctxt.reportInputMismatch(this, "loop count %s is too large (at most 2147483647)", p.getText());
    }
    return p.getIntValue();
  }

  /** The current value as a message quotes it. */
  private static String found(JsonParser p) throws IOException {
    return switch (p.currentToken()) {
      case START_ARRAY -> "a list";
      case START_OBJECT -> "a mapping";
      case VALUE_STRING -> "'" + p.getText() + "'";
      default -> p.getText();
    };
  }

  private Long duration(JsonParser p, DeserializationContext ctxt, String key) throws IOException {
    try {
      return Nanos.parse(p.getText());
    } catch (IllegalArgumentException e) {
      ctxt.reportInputMismatch(this, "loop %s: %s", key, e.getMessage());
      return null;
    }
  }

  private Step fileRead(JsonParser p, DeserializationContext ctxt) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      ctxt.reportInputMismatch(this, "file-read takes {size: 10KB, cache-hit: 0.9, ...}");
    }
    Map<String, String> a =
        args(p, ctxt, "file-read", List.of("size", "chunk", "cache-hit", "hot", "cold", "open", "close"));
    try {
      long size = Bytes.parse(a.getOrDefault("size", "4KB"));
      long chunk = a.containsKey("chunk") ? Bytes.parse(a.get("chunk")) : Math.max(size, 512);
      double hit = probability(a.getOrDefault("cache-hit", "1"));
      return new Step.FileRead(
          size, chunk, hit,
          Dist.parse(a.getOrDefault("hot", "2us")),
          Dist.parse(a.getOrDefault("cold", "lognormal(1ms, 10ms)")),
          Dist.parse(a.getOrDefault("open", "4us")),
          Dist.parse(a.getOrDefault("close", "2us")));
    } catch (FieldException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      ctxt.reportInputMismatch(this, "file-read: %s", e.getMessage());
      return null;
    }
  }

  private static double probability(String text) {
    try {
      return Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("cache-hit must be a number from 0 to 1, got '" + text + "'");
    }
  }

  private Map<String, String> args(
      JsonParser p, DeserializationContext ctxt, String kind, List<String> allowed)
      throws IOException {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
      p.nextToken();
      if (!allowed.contains(key)) {
        throw UnrecognizedPropertyException.from(p, Step.class, key, new ArrayList<>(allowed));
      }
      if (!p.currentToken().isScalarValue() || p.currentToken() == JsonToken.VALUE_NULL) {
        ctxt.reportInputMismatch(this, "%s: %s must be a single value, got %s", kind,
            key, p.currentToken() == JsonToken.VALUE_NULL ? "nothing" : found(p));
      }
      out.put(key, p.getText());
    }
    return out;
  }

  private Dist dist(JsonParser p, DeserializationContext ctxt) throws IOException {
    if (!p.currentToken().isScalarValue()) {
      ctxt.reportInputMismatch(this, "expected a duration such as 50ms or exp(1ms)");
    }
    return parse(ctxt, p.getText());
  }

  private Dist parse(DeserializationContext ctxt, String text) throws IOException {
    try {
      return Dist.parse(text);
    } catch (IllegalArgumentException e) {
      ctxt.reportInputMismatch(this, "%s", e.getMessage());
      return null;
    }
  }

  private Dist optional(DeserializationContext ctxt, String text) throws IOException {
    return text == null ? null : parse(ctxt, text);
  }

  private String text(JsonParser p, DeserializationContext ctxt, String kind) throws IOException {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      ctxt.reportInputMismatch(this, "%s takes a name, got %s", kind, found(p));
    }
    return p.getText();
  }

  private UnrecognizedPropertyException unknown(JsonParser p, String kind) {
    Collection<Object> known = new ArrayList<>(KINDS);
    return UnrecognizedPropertyException.from(p, Step.class, kind, known);
  }
}
