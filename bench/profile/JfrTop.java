import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * The top of a JFR recording's CPU profile on a run's dispatcher thread (where every model
 * actor runs): where the samples fall by part of the engine, the top frames by self samples, and
 * the model method nearest the top of each sample. Run as a source file, no build:
 * {@code java bench/profile/JfrTop.java recording.jfr [N]}.
 */
public class JfrTop {
  public static void main(String[] args) throws Exception {
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> model = new HashMap<>();
    Map<String, Integer> part = new HashMap<>();
    int n = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
      if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
        continue;
      }
      RecordedThread t = e.getThread("sampledThread");
      if (t == null || t.getJavaName() == null || !t.getJavaName().endsWith("gmpsim.run-dispatcher")) {
        continue;
      }
      List<RecordedFrame> frames = e.getStackTrace().getFrames();
      if (frames.isEmpty()) {
        continue;
      }
      n++;
      self.merge(name(frames.get(0)), 1, Integer::sum);
      String firstModel = null;
      String p = "other";
      for (RecordedFrame f : frames) {
        String type = f.getMethod().getType().getName();
        if (firstModel == null && type.startsWith("dev.gmpsim.model.")) {
          firstModel = name(f);
        }
        String q = part(type);
        if (q != null && p.equals("other")) {
          p = q;
        }
      }
      if (firstModel != null) {
        model.merge(firstModel, 1, Integer::sum);
      }
      part.merge(p, 1, Integer::sum);
    }
    System.out.println(n + " samples on the run dispatcher");
    print("by part (the first frame from the top that belongs to one)", part, n, 10);
    print("top frames by self samples", self, n, top);
    print("the model method nearest the top of each sample", model, n, top);
  }

  private static String part(String type) {
    if (type.startsWith("akka.") || type.equals("dev.gmpsim.run.RunLoopExecutor")) {
      return "Akka delivery (tell, mailbox, dispatcher, typed adapter)";
    }
    if (type.equals("dev.gmpsim.model.EventHeap") || type.equals("dev.gmpsim.model.EventList")) {
      return "event list (EventList, EventHeap)";
    }
    if (type.equals("dev.gmpsim.model.SimActor") || type.equals("dev.gmpsim.model.Handlers")) {
      return "SimActor (handler lookup, outbox)";
    }
    if (type.startsWith("dev.gmpsim.model.RunStats") || type.startsWith("org.HdrHistogram")) {
      return "statistics and samples";
    }
    if (type.startsWith("dev.gmpsim.model.")) {
      return "the model's handlers (M, P, Sched, Sysmon, Netpoller, G)";
    }
    return null;
  }

  private static String name(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  private static void print(String heading, Map<String, Integer> m, int n, int k) {
    System.out.println();
    System.out.println(heading);
    List<Map.Entry<String, Integer>> rows = new ArrayList<>(m.entrySet());
    rows.sort((x, y) -> y.getValue() - x.getValue());
    for (Map.Entry<String, Integer> r : rows.subList(0, Math.min(k, rows.size()))) {
      System.out.printf("%6.1f%%  %5d  %s%n", 100.0 * r.getValue() / n, r.getValue(), r.getKey());
    }
  }
}
