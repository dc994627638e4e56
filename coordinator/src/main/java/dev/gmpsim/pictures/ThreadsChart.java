package dev.gmpsim.pictures;

import dev.gmpsim.protocol.result.RunResult;
import dev.gmpsim.protocol.result.RunSummary;
import dev.gmpsim.protocol.scenario.Fault;
import dev.gmpsim.protocol.scenario.Nanos;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/**
 * threads.svg: a run's thread and scheduler counts over virtual time, drawn by JFreeChart into
 * JFreeSVG. Panels by scale: threads and goroutines in syscalls (up to thousands); Ps and
 * spinning Ms (up to GOMAXPROCS); goroutines parked on the netpoller (its own panel when there
 * are any, since connections count in thousands). Fault windows are shaded on every panel.
 */
public final class ThreadsChart {
  static final int WIDTH = 1100;
  static final int HEIGHT = 760;

  /** The series, in legend order: name and colour (distinct, readable on white). */
  static final String THREADS = "threads (mcount)";
  static final String IDLE_THREADS = "idle threads (midle)";
  static final String IN_SYSCALL = "Gs in syscalls or cgo calls";
  static final String RUNNING_PS = "running Ps (_Prunning)";
  static final String SPINNING = "spinning Ms";
  static final String NETPOLL = "Gs parked on the netpoller";
  static final List<String> SERIES = List.of(THREADS, IDLE_THREADS, IN_SYSCALL, RUNNING_PS, SPINNING, NETPOLL);

  private static final Color[] COLORS = {
    new Color(0x1f, 0x4e, 0x9c), // threads: dark blue
    new Color(0x7f, 0x8c, 0x9a), // idle threads: grey
    new Color(0xd9, 0x5f, 0x02), // in syscalls: orange
    new Color(0x1b, 0x9e, 0x77), // running Ps: green
    new Color(0xb5, 0x1f, 0x8a), // spinning: magenta
    new Color(0x66, 0x4d, 0x2b), // netpoller: brown
  };
  private static final Color FAULT = new Color(0xe3, 0x1a, 0x1c);

  private ThreadsChart() {}

  /** The SVG document for one run; the same result gives the same bytes. */
  public static String svg(RunResult result, List<Fault> faults) {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true"); // no display needed to lay out text
    }
    // Rotated labels (the y axes) as SVG text rather than glyph outlines: searchable, smaller.
    org.jfree.chart.text.TextUtils.setUseDrawRotatedStringWorkaround(false);
    JFreeChart chart = chart(result, faults);
    SVGGraphics2D g2 = new SVGGraphics2D(WIDTH, HEIGHT);
    // The default prefix is made from System.nanoTime(): fixed, so the bytes are the same.
    g2.setDefsKeyPrefix("gmpsim");
    chart.draw(g2, new Rectangle(0, 0, WIDTH, HEIGHT));
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + g2.getSVGElement(null, true, new ViewBox(0, 0, WIDTH, HEIGHT), null, null) + "\n";
  }

  static JFreeChart chart(RunResult result, List<Fault> faults) {
    RunSummary s = result.summary();
    long end = s.virtualTimeNs();
    boolean seconds = end >= 2_000_000_000L;
    double unit = seconds ? 1e9 : 1e6;
    Table ts = Table.parse(result.timeseriesCsv());
    Table ps = Table.parse(result.pstatesCsv());

    XYSeries threads = series(THREADS, ts, "threads", unit);
    XYSeries idle = series(IDLE_THREADS, ts, "idle_threads", unit);
    XYSeries syscalls = series(IN_SYSCALL, ts, "ms_in_syscall", unit);
    XYSeries running = series(RUNNING_PS, ps, "running_ps", unit);
    XYSeries spinning = series(SPINNING, ts, "spinning_threads", unit);
    XYSeries netpoll = series(NETPOLL, ts, "gs_netpoll", unit);

    NumberAxis time = new NumberAxis("virtual time (" + (seconds ? "s" : "ms") + ")");
    time.setRange(0, end / unit);
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(time);
    plot.setGap(14);
    boolean netpollPanel = netpoll.getMaxY() > 0;
    int color = 0;
    XYPlot top = panel("threads, goroutines", color, threads, idle, syscalls);
    color += 3;
    XYPlot middle = panel("Ps, Ms", color, running, spinning);
    ((NumberAxis) middle.getRangeAxis()).setRange(0, s.gomaxprocs() + 0.5);
    color += 2;
    plot.add(top, 3);
    plot.add(middle, 2);
    if (netpollPanel) {
      plot.add(panel("goroutines", color, netpoll), 2);
    } else {
      // Nothing parked on the netpoller: the line (at 0) goes with the threads, no empty panel.
      XYSeriesCollection d = (XYSeriesCollection) top.getDataset();
      d.addSeries(netpoll);
      top.getRenderer().setSeriesPaint(3, COLORS[color]);
      top.getRenderer().setSeriesStroke(3, new BasicStroke(1.6f));
    }
    shadeFaults(plot, faults, end, unit);

    JFreeChart chart = new JFreeChart(
        s.scenario() + ": threads over virtual time", new Font("SansSerif", Font.BOLD, 18), plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    chart.addSubtitle(new TextTitle(String.format(java.util.Locale.ROOT,
        "Go %s rules, GOMAXPROCS=%d, seed %d, outcome %s; %s, sampled every %s",
        s.goVersion(), s.gomaxprocs(), s.seed(), s.outcome(), s.modelVersion(),
        Nanos.format(s.settings().sampleNs())), new Font("SansSerif", Font.PLAIN, 13)));
    // What the shading means, said once in full colour (a label inside it would be faint).
    for (Fault f : faults == null ? List.<Fault>of() : faults) {
      long until = f.until() == null || f.until() == Long.MAX_VALUE ? end : Math.min(f.until(), end);
      TextTitle t = new TextTitle("shaded: fault " + f.label() + " (" + Nanos.format(f.from()) + ".."
          + Nanos.format(until) + ")", new Font("SansSerif", Font.PLAIN, 12));
      t.setPaint(FAULT.darker());
      chart.addSubtitle(t);
    }
    return chart;
  }

  private static XYPlot panel(String yLabel, int firstColor, XYSeries... series) {
    XYSeriesCollection data = new XYSeriesCollection();
    // One SVG path per series (not a line element per step): the file stays small.
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
    r.setDrawSeriesLineAsPath(true);
    for (int i = 0; i < series.length; i++) {
      data.addSeries(series[i]);
      r.setSeriesPaint(i, COLORS[firstColor + i]);
      r.setSeriesStroke(i, new BasicStroke(firstColor + i == 0 ? 2.2f : 1.6f));
    }
    NumberAxis y = new NumberAxis(yLabel + " (count)");
    y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    y.setAutoRangeIncludesZero(true);
    XYPlot p = new XYPlot(data, null, y, r);
    p.setBackgroundPaint(new Color(0xfa, 0xfa, 0xfa));
    p.setDomainGridlinePaint(new Color(0xd0, 0xd0, 0xd0));
    p.setRangeGridlinePaint(new Color(0xd0, 0xd0, 0xd0));
    return p;
  }

  /** Each fault's window [from, until), clipped to the run, shaded on every panel. */
  private static void shadeFaults(CombinedDomainXYPlot plot, List<Fault> faults, long end, double unit) {
    if (faults == null) {
      return;
    }
    @SuppressWarnings("unchecked")
    List<XYPlot> panels = plot.getSubplots();
    for (Fault f : faults) {
      double a = Math.min(f.from(), end) / unit;
      double b = Math.min(f.until() == null ? end : f.until(), end) / unit;
      for (int i = 0; i < panels.size(); i++) {
        IntervalMarker m = new IntervalMarker(a, Math.max(b, a + (end / unit) / 400));
        m.setPaint(FAULT);
        m.setAlpha(0.13f);
        panels.get(i).addDomainMarker(m, Layer.BACKGROUND);
      }
    }
  }

  /**
   * A count as steps: it holds its value until the next sample that differs, where it jumps
   * (two points at that time). Unchanged samples add no points.
   */
  private static XYSeries series(String name, Table t, String column, double unit) {
    XYSeries s = new XYSeries(name, false, true);
    int c = t.column(column);
    if (c < 0 || t.rows.isEmpty()) {
      return s;
    }
    long last = Long.MIN_VALUE;
    for (long[] row : t.rows) {
      long v = row[c];
      if (v != last) {
        if (last != Long.MIN_VALUE) {
          s.add(row[0] / unit, last);
        }
        s.add(row[0] / unit, v);
        last = v;
      }
    }
    long[] end = t.rows.get(t.rows.size() - 1);
    s.add(end[0] / unit, last);
    return s;
  }

  /** A CSV of whole numbers with a header line. */
  static final class Table {
    final List<String> header;
    final List<long[]> rows = new ArrayList<>();

    private Table(List<String> header) {
      this.header = header;
    }

    static Table parse(String csv) {
      String[] lines = csv == null || csv.isEmpty() ? new String[0] : csv.split("\n");
      Table t = new Table(lines.length == 0 ? List.of() : List.of(lines[0].split(",")));
      for (int i = 1; i < lines.length; i++) {
        String[] f = lines[i].split(",");
        long[] row = new long[f.length];
        for (int j = 0; j < f.length; j++) {
          row[j] = Long.parseLong(f[j].trim());
        }
        t.rows.add(row);
      }
      return t;
    }

    int column(String name) {
      return header.indexOf(name);
    }
  }
}
