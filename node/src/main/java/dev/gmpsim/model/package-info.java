/**
 * The Go runtime's scheduler as Akka Typed actors, in virtual time.
 *
 * <h2>Glossary, as in proc.go</h2>
 *
 * <ul>
 *   <li>G: a goroutine. Data ({@link dev.gmpsim.model.G}), moved between run queues, Ms, the
 *       netpoller and channel wait queues the way the runtime moves a *g.
 *   <li>M: an OS thread ({@link dev.gmpsim.model.M}). Runs Go code only while it holds a P; can
 *       be blocked in a syscall or cgo call without one.
 *   <li>P: the permission to run Go code ({@link dev.gmpsim.model.P}), with its local run queue.
 *       The P runs schedule()/findRunnable() for the M that holds it.
 *   <li>{@link dev.gmpsim.model.Sched}: the global sched struct: global run queue, idle P and M
 *       lists, thread count. Everything proc.go does under sched.lock happens in its handlers.
 *   <li>{@link dev.gmpsim.model.Sysmon}: the monitor thread that retakes Ps stuck in syscalls and
 *       preempts long-running Gs. {@link dev.gmpsim.model.Netpoller}: epoll and the timers.
 *   <li>{@link dev.gmpsim.model.Clock} and its {@link dev.gmpsim.model.EventList}: virtual time.
 * </ul>
 *
 * <h2>What must hold</h2>
 *
 * <p>Every message carries the virtual time at which it is handled ({@link
 * dev.gmpsim.model.Msg#at()}). Actors never message each other directly: what an actor sends goes
 * into the run's event list, which delivers one message at a time in (time, send order). So only
 * one actor of a run is ever running, a run is a pure function of (scenario, seed, model version),
 * and races that the runtime settles with a CAS are settled by the actor that owns the state:
 * sysmon's retake and a returning M's exitsyscallfast are both messages to the P, and whichever
 * comes first wins. The kernel's events wait in the same list: its timers' clock events, and
 * (without faults) descriptors becoming readable, which the list applies to the netpoller's
 * epoll state between two messages ({@link dev.gmpsim.model.Netpoller.Readiness}).
 *
 * <p>The runtime reads some words without a lock from any thread (sched.npidle, sched.nmspinning,
 * sched.lastpoll, pp.status, pp.schedtick, run queue lengths). They live in {@link
 * dev.gmpsim.model.Atomics}, readable by every actor of the run; each is written by the actor that
 * owns it, or, where proc.go updates it with an atomic add outside sched.lock (nmspinning), by the
 * actor doing that step. Everything else an actor owns is private to it.
 *
 * <p>Every G is in exactly one place ({@link dev.gmpsim.model.G#place}, {@link
 * dev.gmpsim.model.G#take}); mcount equals the threads alive; a P is held by at most one M. The
 * run checks these as it goes and ends with outcome {@code invariant-violated} if one breaks.
 *
 * <h2>Where the model is simpler than the runtime</h2>
 *
 * <ul>
 *   <li>The garbage collector ({@link dev.gmpsim.model.GcController}) exists only when a step
 *       allocates; it has no object graph (a cycle's work is bytes at a rate), no sweeping and
 *       no scavenger (docs/gc.md).
 *   <li>Timers live in the netpoller, not on each P. A timer that fires while an M is blocked
 *       in netpoll waits for that M (at whole milliseconds, like epoll_wait) or for the next P
 *       that goes through schedule() (checkTimers: {@link dev.gmpsim.model.Netpoller.RunTimers}),
 *       whichever comes first; otherwise the G is readied through the global run queue (the
 *       runtime puts it on the runnext of the P that runs its timers). Which P set each timer is
 *       remembered, so handoffp can wake the netpoller for a P given up with timers on it.
 *   <li>A syscall shorter than sysmon's shortest sleep (20us) cannot be retaken under the real
 *       rules, so the M runs it without telling its P; the counters still see it.
 *   <li>CPUs only with a {@code machine:} block ({@link Cpus}, docs/costs.md "CPUs"): then a
 *       woken thread waits for a CPU when every one holds a burst, preempts a compute step, and
 *       compute steps share the CPUs fairly. Without the block every M that has work runs at
 *       once. The CPU time of each path is the cost table's, which was measured as latencies on
 *       an idle machine: with it, 100 goroutines making 90k-240k nanosleep(100us) calls/s keep
 *       2 CPUs only 20-45% busy, as they are for real Go (calibration/MEASUREMENTS.md); no time
 *       slicing of more runnable threads than CPUs.
 *   <li>The kernel is a delay: a thread blocked in a syscall or a C call runs again after its
 *       wait plus a sampled wake-up (timer slack for sleeps, {@code syscall-wakeup} otherwise).
 *       With a machine the kernel's timers decide when sleeps end (HrTimers: slack windows that
 *       the first closing window of a CPU ends together); there is no timer migration, and one
 *       interrupt expires its CPU's due timers at one instant.
 * </ul>
 */
package dev.gmpsim.model;
