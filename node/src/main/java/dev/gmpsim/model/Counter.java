package dev.gmpsim.model;

/** The events a run counts; see RunSummary for how each is reported. */
public enum Counter {
  RETAKES,
  HANDOFFS,
  EXITSYSCALL_FAST,
  EXITSYSCALL_SLOW,
  SYSCALLS,
  CGO_CALLS,
  /** Virtual time spent in cgocall's own overhead, on top of the C functions. */
  CGO_OVERHEAD_NS,
  VDSO_CALLS,
  PREEMPTIONS,
  STEALS,
  SPINNING_STARTS,
  WAKEPS,
  STARTMS,
  STOPMS,
  NETPOLL_NONBLOCKING,
  NETPOLL_BLOCKING,
  SYSMON_TICKS,
  SYSMON_WAITS,
  ENTERSYSCALLBLOCK,
  LOCKED_MS_DESTROYED,
  TEMPLATE_THREADS,
  MS_CREATED,
  MS_DESTROYED,
  GS_CREATED,
  GS_EXITED
}
