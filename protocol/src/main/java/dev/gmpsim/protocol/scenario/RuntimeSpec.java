package dev.gmpsim.protocol.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.Locale;

/**
 * The Go runtime being modelled: GOMAXPROCS, the Go version whose rules apply, the policies that
 * can be switched to the reference text's simplified rules, and the cost table.
 */
public record RuntimeSpec(
    Integer gomaxprocs,
    Integer cpus,
    Double cpuLimit,
    String goVersion,
    Boolean cgo,
    Retake retake,
    @JsonDeserialize(using = NanosDeserializer.class) Long retakeThreshold,
    IdleMs idleMs,
    Integer idleMsCap,
    Integer maxThreads,
    Boolean vdso,
    CostTable costs,
    // Left out of the JSON when unset, so run ids of scenarios without it stay as they were.
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    @JsonDeserialize(using = NanosDeserializer.class) Long timerSlack,
    // GOGC and GOMEMLIMIT: null unless the scenario sets them, and then left out of the JSON, so
    // run ids of scenarios without them stay as they were.
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    String gogc,
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    @JsonDeserialize(using = BytesDeserializer.class) Long gomemlimit) {

  public RuntimeSpec(Integer gomaxprocs, Integer cpus, Double cpuLimit, String goVersion, Boolean cgo, Retake retake,
      Long retakeThreshold, IdleMs idleMs, Integer idleMsCap, Integer maxThreads, Boolean vdso, CostTable costs) {
    this(gomaxprocs, cpus, cpuLimit, goVersion, cgo, retake, retakeThreshold, idleMs, idleMsCap, maxThreads, vdso,
        costs, null, null, null);
  }

  public RuntimeSpec(Integer gomaxprocs, Integer cpus, Double cpuLimit, String goVersion, Boolean cgo, Retake retake,
      Long retakeThreshold, IdleMs idleMs, Integer idleMsCap, Integer maxThreads, Boolean vdso, CostTable costs,
      Long timerSlack) {
    this(gomaxprocs, cpus, cpuLimit, goVersion, cgo, retake, retakeThreshold, idleMs, idleMsCap, maxThreads, vdso,
        costs, timerSlack, null, null);
  }

  public RuntimeSpec(Integer gomaxprocs, Integer cpus, Double cpuLimit, String goVersion, Boolean cgo, Retake retake,
      Long retakeThreshold, IdleMs idleMs, Integer idleMsCap, Integer maxThreads, Boolean vdso, CostTable costs,
      String gogc, Long gomemlimit) {
    this(gomaxprocs, cpus, cpuLimit, goVersion, cgo, retake, retakeThreshold, idleMs, idleMsCap, maxThreads, vdso,
        costs, null, gogc, gomemlimit);
  }

  /** Linux's default timer slack, what prctl(PR_SET_TIMERSLACK, 0) restores. */
  public static final long DEFAULT_TIMER_SLACK_NS = 50_000;

  /** GOGC as a percentage, -1 for off (the default is 100). */
  public int gcPercent() {
    return gogc == null ? 100 : parseGogc(gogc);
  }

  /** GOMEMLIMIT in bytes; Long.MAX_VALUE when not set (math.MaxInt64, the runtime's default). */
  public long memoryLimit() {
    return gomemlimit == null ? Long.MAX_VALUE : gomemlimit;
  }

  private static int parseGogc(String text) {
    String t = text.trim();
    if (t.equalsIgnoreCase("off")) {
      return -1;
    }
    int v;
    try {
      v = Integer.parseInt(t);
    } catch (NumberFormatException e) {
      throw new FieldException("gogc", "gogc must be off or a whole number >= 0, got '" + t + "'");
    }
    FieldException.require(v >= 0, "gogc", "gogc must be off or >= 0, got %d", v);
    return v;
  }

  /** How sysmon decides to take a P from a syscall. */
  public enum Retake {
    /** The real rules of proc.go's retake (two sysmon ticks, skip conditions, 10ms). */
    GO,
    /** The reference text's rule: retake once a syscall is older than the threshold. */
    THRESHOLD;

    @JsonCreator
    public static Retake of(String s) {
      return FieldException.choice(Retake.class, "retake rule", s);
    }

    @JsonValue
    public String yaml() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What stopm does with an M that has nothing to do. */
  public enum IdleMs {
    /** The real runtime: park it on sched.midle forever. */
    KEEP,
    /** The reference text's claim: keep at most idle-ms-cap parked, let the rest exit. */
    POOL;

    @JsonCreator
    public static IdleMs of(String s) {
      return FieldException.choice(IdleMs.class, "idle-ms policy", s);
    }

    @JsonValue
    public String yaml() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static final RuntimeSpec DEFAULTS =
      new RuntimeSpec(null, null, null, null, null, null, null, null, null, null, null, null);

  public RuntimeSpec {
    goVersion = goVersion == null ? "1.22" : goVersion;
    FieldException.require(
        goVersion.matches("1\\.(19|2[0-6])"), "go-version",
        "go-version must be 1.19 to 1.26, got %s", goVersion);
    cpus = cpus == null ? 4 : cpus;
    FieldException.require(cpus >= 1 && cpus <= 1024, "cpus", "cpus must be 1..1024, got %d", cpus);
    FieldException.require(
        cpuLimit == null || cpuLimit > 0, "cpu-limit", "cpu-limit must be positive (cores, e.g. 1.5)");
    if (gomaxprocs == null) {
      gomaxprocs = defaultGomaxprocs(cpus, cpuLimit, Integer.parseInt(goVersion.substring(2)));
    }
    FieldException.require(
        gomaxprocs >= 1 && gomaxprocs <= 1024, "gomaxprocs", "gomaxprocs must be 1..1024, got %d",
        gomaxprocs);
    cgo = cgo != null && cgo;
    retake = retake == null ? Retake.GO : retake;
    retakeThreshold = retakeThreshold == null ? 10_000L : retakeThreshold;
    FieldException.require(retakeThreshold > 0, "retake-threshold", "retake-threshold must be > 0");
    idleMs = idleMs == null ? IdleMs.KEEP : idleMs;
    idleMsCap = idleMsCap == null ? 64 : idleMsCap;
    FieldException.require(idleMsCap >= 0, "idle-ms-cap", "idle-ms-cap cannot be negative");
    maxThreads = maxThreads == null ? 10_000 : maxThreads;
    FieldException.require(
        maxThreads >= 2, "max-threads", "max-threads must be at least 2 (main thread and sysmon), got %d",
        maxThreads);
    vdso = vdso == null || vdso;
    costs = (costs == null ? CostTable.DEFAULTS : costs).forGo(Integer.parseInt(goVersion.substring(2)));
    FieldException.require(timerSlack == null || timerSlack >= 0, "timer-slack", "timer-slack cannot be negative");
    // prctl(PR_SET_TIMERSLACK, 0) sets the thread back to its default slack.
    timerSlack = timerSlack != null && timerSlack == 0 ? Long.valueOf(DEFAULT_TIMER_SLACK_NS) : timerSlack;
    if (gogc != null) {
      parseGogc(gogc);
    }
    FieldException.require(gomemlimit == null || gomemlimit > 0, "gomemlimit", "gomemlimit must be a positive size such as 512MB");
  }

  /**
   * GOMAXPROCS when the scenario does not set it (no GOMAXPROCS variable): the CPUs the process
   * may use, and from Go 1.25 also the container's CPU limit rounded up, but at least 2
   * (runtime.defaultGOMAXPROCS). Earlier versions ignore the limit.
   */
  static int defaultGomaxprocs(int cpus, Double cpuLimit, int goMinor) {
    if (cpuLimit == null || goMinor < 25) {
      return cpus;
    }
    int limit = (int) Math.max(Math.ceil(cpuLimit), 2);
    return Math.min(cpus, limit);
  }

  /** The same runtime with another idle-M policy. */
  public RuntimeSpec withIdleMs(IdleMs policy, int cap) {
    return new RuntimeSpec(gomaxprocs, cpus, cpuLimit, goVersion, cgo, retake, retakeThreshold, policy, cap,
        maxThreads, vdso, costs, timerSlack, gogc, gomemlimit);
  }

  /** The same runtime with another retake rule. */
  public RuntimeSpec withRetake(Retake rule, long threshold) {
    return new RuntimeSpec(gomaxprocs, cpus, cpuLimit, goVersion, cgo, rule, threshold, idleMs, idleMsCap,
        maxThreads, vdso, costs, timerSlack, gogc, gomemlimit);
  }

  /**
   * The same runtime on {@code n} CPUs ({@code machine.cpus} given, {@code runtime.cpus} not);
   * GOMAXPROCS follows them unless the file set it.
   */
  public RuntimeSpec withCpus(int n, boolean gomaxprocsFollows) {
    return new RuntimeSpec(gomaxprocsFollows ? null : gomaxprocs, n, cpuLimit, goVersion, cgo, retake, retakeThreshold,
        idleMs, idleMsCap, maxThreads, vdso, costs, timerSlack, gogc, gomemlimit);
  }

  /** The minor version, e.g. 22 for "1.22". */
  public int goMinor() {
    return Integer.parseInt(goVersion.substring(2));
  }
}
