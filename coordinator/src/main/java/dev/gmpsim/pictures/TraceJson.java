package dev.gmpsim.pictures;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.gmpsim.model.TraceRecorder;
import dev.gmpsim.protocol.result.RunSummary;
import dev.gmpsim.protocol.scenario.Nanos;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a run's {@link TraceRecorder} as a Chrome trace-event file (the JSON object form), which
 * ui.perfetto.dev and chrome://tracing open: a process per kind of track (Ms, Ps, sched), a
 * thread per M and per P named by metadata events, complete ('X') slices, instants and counters.
 * Timestamps are microseconds with three decimals (nanoseconds of virtual time, exactly).
 * Streamed with Jackson's generator: a million events never become one string.
 */
public final class TraceJson {
  private static final JsonFactory JSON = new JsonFactory();

  private TraceJson() {}

  public static void write(Path file, TraceRecorder trace, RunSummary summary) throws IOException {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      java.util.List<TraceRecorder.Event> events = trace.events();
      g.writeStringField("displayTimeUnit", "ms");
      otherData(g, trace, events.size(), summary);
      g.writeArrayFieldStart("traceEvents");
      metadata(g, trace);
      if (trace.leftOut() > 0) {
        // Seen in the viewer itself, not only in the file's metadata.
        g.writeStartObject();
        g.writeStringField("name", "trace cap reached: " + trace.leftOut() + " events left out from here on");
        g.writeStringField("cat", "gmpsim");
        g.writeStringField("ph", "i");
        g.writeStringField("s", "g");
        ts(g, "ts", trace.firstLeftOutAt());
        g.writeNumberField("pid", TraceRecorder.PID_SCHED);
        g.writeNumberField("tid", 0);
        g.writeEndObject();
      }
      for (TraceRecorder.Event e : events) {
        event(g, e);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  private static void otherData(JsonGenerator g, TraceRecorder trace, int count, RunSummary s)
      throws IOException {
    g.writeObjectFieldStart("otherData");
    g.writeStringField("generator", "gmpsim");
    g.writeStringField("scenario", s.scenario());
    g.writeStringField("model", s.modelVersion());
    g.writeStringField("go_rules", s.goVersion());
    g.writeNumberField("gomaxprocs", s.gomaxprocs());
    g.writeNumberField("seed", s.seed());
    g.writeStringField("outcome", s.outcome());
    g.writeStringField("time_unit", "ts and dur are microseconds of virtual time");
    long to = Math.min(trace.to(), trace.end());
    g.writeStringField("window", Nanos.format(trace.from()) + ".." + Nanos.format(to));
    g.writeNumberField("window_from_ns", trace.from());
    g.writeNumberField("window_to_ns", to);
    g.writeNumberField("max_events", trace.maxEvents());
    g.writeNumberField("events", count);
    g.writeNumberField("events_left_out", trace.leftOut());
    g.writeBooleanField("truncated", trace.leftOut() > 0);
    if (trace.leftOut() > 0) {
      g.writeNumberField("first_left_out_at_ns", trace.firstLeftOutAt());
      g.writeStringField("note", String.format(java.util.Locale.ROOT,
          "the trace reached its cap of %,d events at %.3fms of virtual time: %,d later events "
              + "were left out; narrow the window (--trace-window FROM..TO) or raise the cap "
              + "(--trace-max-events N)",
          trace.maxEvents(), trace.firstLeftOutAt() / 1e6, trace.leftOut()));
    }
    g.writeEndObject();
  }

  private static void metadata(JsonGenerator g, TraceRecorder trace) throws IOException {
    process(g, TraceRecorder.PID_M, "Ms (OS threads)", 1);
    process(g, TraceRecorder.PID_P, "Ps (GOMAXPROCS=" + trace.gomaxprocs() + ")", 2);
    process(g, TraceRecorder.PID_SCHED, "sched (counters, faults)", 3);
    for (Map.Entry<Integer, String> m : trace.mNames().entrySet()) {
      thread(g, TraceRecorder.PID_M, m.getKey(), m.getValue());
    }
    for (int p = 0; p < trace.gomaxprocs(); p++) {
      thread(g, TraceRecorder.PID_P, p, "P" + p);
    }
    thread(g, TraceRecorder.PID_SCHED, 0, "faults");
  }

  private static void process(JsonGenerator g, int pid, String name, int order) throws IOException {
    meta(g, "process_name", pid, -1, "name", name);
    meta(g, "process_sort_index", pid, -1, "sort_index", order);
  }

  private static void thread(JsonGenerator g, int pid, int tid, String name) throws IOException {
    meta(g, "thread_name", pid, tid, "name", name);
    meta(g, "thread_sort_index", pid, tid, "sort_index", tid);
  }

  private static void meta(JsonGenerator g, String what, int pid, int tid, String key, Object value)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("name", what);
    g.writeStringField("ph", "M");
    g.writeNumberField("pid", pid);
    if (tid >= 0) {
      g.writeNumberField("tid", tid);
    }
    g.writeObjectFieldStart("args");
    if (value instanceof Integer i) {
      g.writeNumberField(key, i);
    } else {
      g.writeStringField(key, (String) value);
    }
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void event(JsonGenerator g, TraceRecorder.Event e) throws IOException {
    g.writeStartObject();
    g.writeStringField("name", e.name());
    g.writeStringField("cat", e.kind().category);
    g.writeStringField("ph", String.valueOf(e.ph()));
    ts(g, "ts", e.ts());
    if (e.ph() == 'X') {
      ts(g, "dur", e.dur());
    }
    if (e.ph() == 'i') {
      g.writeStringField("s", "t");
    }
    g.writeNumberField("pid", e.pid());
    if (e.ph() != 'C') {
      g.writeNumberField("tid", e.tid());
    }
    g.writeObjectFieldStart("args");
    if (e.ph() == 'C') {
      g.writeNumberField(e.name(), e.g());
    } else {
      if (e.g() >= 0) {
        g.writeNumberField("g", e.g());
      }
      if (e.detail() != null) {
        g.writeStringField("detail", e.detail());
      }
      if (e.beganBefore()) {
        g.writeBooleanField("began_before_window", true);
      }
      if (e.endedAfter()) {
        g.writeBooleanField("ends_after_window", true);
      }
    }
    g.writeEndObject();
    g.writeEndObject();
  }

  /** Nanoseconds as microseconds with three decimals, written exactly. */
  private static void ts(JsonGenerator g, String field, long ns) throws IOException {
    g.writeFieldName(field);
    long frac = ns % 1000;
    g.writeNumber(ns / 1000 + (frac < 10 ? ".00" : frac < 100 ? ".0" : ".") + frac);
  }
}
