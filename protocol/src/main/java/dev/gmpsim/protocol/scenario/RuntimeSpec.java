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
    String goVersion,
    Boolean cgo,
    Retake retake,
    @JsonDeserialize(using = NanosDeserializer.class) Long retakeThreshold,
    IdleMs idleMs,
    Integer idleMsCap,
    Integer maxThreads,
    Boolean vdso,
    CostTable costs) {

  /** How sysmon decides to take a P from a syscall. */
  public enum Retake {
    /** The real rules of proc.go's retake (two sysmon ticks, skip conditions, 10ms). */
    GO,
    /** The reference text's rule: retake once a syscall is older than the threshold. */
    THRESHOLD;

    @JsonCreator
    public static Retake of(String s) {
      return valueOf(s.toUpperCase(Locale.ROOT));
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
      return valueOf(s.toUpperCase(Locale.ROOT));
    }

    @JsonValue
    public String yaml() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static final RuntimeSpec DEFAULTS =
      new RuntimeSpec(null, null, null, null, null, null, null, null, null, null);

  public RuntimeSpec {
    gomaxprocs = gomaxprocs == null ? 4 : gomaxprocs;
    FieldException.require(
        gomaxprocs >= 1 && gomaxprocs <= 1024, "gomaxprocs", "gomaxprocs must be 1..1024, got %d",
        gomaxprocs);
    goVersion = goVersion == null ? "1.22" : goVersion;
    FieldException.require(
        goVersion.matches("1\\.(19|2[0-5])"), "go-version",
        "go-version must be 1.19 to 1.25 (the runtimes with _Psyscall), got %s", goVersion);
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
    costs = costs == null ? CostTable.DEFAULTS : costs;
  }

  /** The minor version, e.g. 22 for "1.22". */
  public int goMinor() {
    return Integer.parseInt(goVersion.substring(2));
  }
}
