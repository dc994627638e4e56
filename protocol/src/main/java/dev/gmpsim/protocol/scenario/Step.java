package dev.gmpsim.protocol.scenario;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;

/**
 * One step of a goroutine's program. In a scenario a step is a one-key map such as
 * {@code - compute: 20us} or {@code - syscall: {name: read, duration: 1ms}}, or a bare word for
 * steps without arguments ({@code - lock-os-thread}). See docs/scenarios.md.
 */
@JsonDeserialize(using = StepDeserializer.class)
public sealed interface Step {

  /** Runs Go code on the P for a while (preemptible by sysmon after 10ms). */
  record Compute(Dist duration) implements Step {}

  /**
   * syscall.RawSyscall (or the runtime's own raw calls: epoll_ctl, vfork/exec from os/exec): the
   * kernel for {@code duration} without entersyscall, so the P stays with the thread as for
   * compute; listed in the syscall table under {@code name}.
   */
  record RawSyscall(String name, Dist duration) implements Step {}

  /**
   * A blocking system call: entersyscall, the kernel for {@code duration}, exitsyscall. {@code
   * wakeup} is how long the thread takes to run again once the wait is over; null means the cost
   * table's rule (see docs/costs.md).
   */
  record Syscall(String name, Dist duration, Dist wakeup) implements Step {
    public Syscall(String name, Dist duration) {
      this(name, duration, null);
    }
  }

  /** A call the runtime knows will block: entersyscallblock hands the P off at once. */
  record SyscallBlock(String name, Dist duration, Dist wakeup) implements Step {
    public SyscallBlock(String name, Dist duration) {
      this(name, duration, null);
    }
  }

  /** A cgo call: cgocall overhead, then like a syscall with m.incgo set for its length. */
  record Cgo(Dist duration, Dist wakeup) implements Step {
    public Cgo(Dist duration) {
      this(duration, null);
    }
  }

  /** A VDSO call such as clock_gettime: no entersyscall; a real syscall when the VDSO is absent. */
  record Vdso(String name) implements Step {}

  /**
   * Reads a socket through the netpoller: a non-blocking read syscall; when no data is there yet
   * the goroutine parks on the descriptor (gopark, the M is free) until data arrives {@code wait}
   * later, then reads again. With {@code every} the peer is open-loop: it sends a request every
   * {@code every} (the first {@code first} after the goroutine's first read) whether or not the
   * answers keep up, so a goroutine that falls behind finds data waiting and does not park.
   */
  record NetRead(Dist delay, Dist every, Dist first) implements Step {
    public NetRead(Dist delay) {
      this(delay, null, null);
    }
  }

  /**
   * Allocates {@code bytes} on the heap (mallocgc): takes no virtual time of its own, but moves
   * the GC pacer's heapLive toward its trigger and, during a mark phase, may make the goroutine
   * assist. A scenario with an alloc step has a garbage collector (docs/gc.md).
   */
  record Alloc(long bytes) implements Step {
    public Alloc {
      FieldException.require(bytes > 0, "alloc", "alloc must be a positive size such as 10KB");
    }
  }

  /** Writes a socket: one short non-blocking write syscall. */
  record NetWrite() implements Step {}

  /** time.Sleep: a timer and gopark. */
  record Sleep(Dist duration) implements Step {}

  /** Sends on a buffered channel used as a semaphore; parks while it is full. */
  record Acquire(String semaphore) implements Step {}

  /** {@code ch <- v}: parks until a receiver takes it (unbuffered) or there is room. */
  record Send(String channel) implements Step {}

  /** {@code <-ch}: parks until a value or the channel's close. */
  record Recv(String channel) implements Step {}

  /** {@code close(ch)}: every parked receiver wakes; later receives return at once. */
  record Close(String channel) implements Step {}

  /** {@code wg.Done()}: the count goes down; at zero every waiter wakes. */
  record Done(String waitgroup) implements Step {}

  /** {@code wg.Wait()}: parks until the count is zero. */
  record Wait(String waitgroup) implements Step {}

  /** {@code flag.Store(true)}. */
  record Set(String flag) implements Step {}

  /** Receives from the semaphore channel, readying one waiter if any. */
  record Release(String semaphore) implements Step {}

  /**
   * A write to the pipe (or socket) {@code pipe}: one short non-blocking write; a goroutine parked
   * reading the other end becomes ready through the netpoller (netpollready), as epoll reports it.
   */
  record PipeWrite(String pipe) implements Step {}

  /**
   * A read from the pipe {@code pipe}: takes what was written; with nothing there the goroutine
   * parks on the netpoller ("IO wait") until a write, a close, or its read deadline ({@code
   * deadline} after the read starts; null for none). A read that ends with an error (the pipe
   * closed, the deadline passed, EOF) does {@code onError}.
   */
  record PipeRead(String pipe, Dist deadline, OnError onError) implements Step {
    public PipeRead {
      onError = onError == null ? OnError.CONTINUE : onError;
    }
  }

  /** What a goroutine does when its read returns an error, as the code after {@code if err != nil}. */
  enum OnError {
    /** Ignores it: the next step runs. */
    CONTINUE,
    /** {@code break}: leaves the innermost loop (the goroutine returns when it is in none). */
    BREAK,
    /** {@code return}: the goroutine exits. */
    EXIT;

    @com.fasterxml.jackson.annotation.JsonCreator
    public static OnError of(String s) {
      return FieldException.choice(OnError.class, "valid on-error", s);
    }

    @com.fasterxml.jackson.annotation.JsonValue
    public String yaml() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * Closes one end of the pipe: {@code read} (the file being read, as {@code r.Close()} from
   * another goroutine: a parked reader is woken at once with an error) or {@code write} (the
   * reader sees EOF once what was written is read).
   */
  record PipeClose(String pipe, End end) implements Step {
    public PipeClose {
      end = end == null ? End.READ : end;
    }
  }

  /** Which end of a pipe a close closes. */
  enum End {
    READ,
    WRITE;

    @com.fasterxml.jackson.annotation.JsonCreator
    public static End of(String s) {
      return FieldException.choice(End.class, "valid end (read or write)", s);
    }

    @com.fasterxml.jackson.annotation.JsonValue
    public String yaml() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  record LockOSThread() implements Step {}

  record UnlockOSThread() implements Step {}

  /** A {@code go} statement: newproc puts the new G in runnext and may wake a P. */
  record Spawn(List<Step> program) implements Step {
    public Spawn {
      program = List.copyOf(program);
    }
  }

  /** Repeats {@code steps}; {@code count} 0 means forever. */
  /**
   * Runs {@code steps} {@code count} times (0: no limit), and with {@code until} only while the
   * run's virtual time is before it (a deadline shared by goroutines, as {@code for
   * time.Now().Before(deadline)}), with {@code forNs} only for that long after the loop starts.
   * Both are checked before each pass; null means no such limit.
   */
  record Loop(int count, List<Step> steps, Long until, Long forNs,
      @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
      String untilSet) implements Step {
    public Loop(int count, List<Step> steps, Long until, Long forNs) {
      this(count, steps, until, forNs, null);
    }

    public Loop {
      FieldException.require(count >= 0, "count", "loop count cannot be negative (%d)", count);
      FieldException.require(!steps.isEmpty(), "steps", "a loop needs at least one step");
      FieldException.require(until == null || until >= 0, "until", "until cannot be negative");
      FieldException.require(forNs == null || forNs >= 0, "for", "for cannot be negative");
      steps = List.copyOf(steps);
    }

    public Loop(int count, List<Step> steps) {
      this(count, steps, null, null, null);
    }
  }

  /** runtime.Gosched: the G goes to the global run queue. */
  record Gosched() implements Step {}

  /** Parks forever, like {@code select {}}. */
  record Block() implements Step {}

  /**
   * os.ReadFile: openat, fstat, one read per {@code chunk} bytes (each a page-cache hit with
   * probability {@code cacheHit}, taking {@code hot}, else {@code cold}), a last read that finds
   * EOF, close. Every one is a blocking syscall, so a cold read can lose the P to sysmon.
   */
  record FileRead(
      long size, long chunk, double cacheHit, Dist hot, Dist cold, Dist open, Dist close)
      implements Step {
    public FileRead {
      FieldException.require(size >= 0, "size", "size cannot be negative");
      FieldException.require(chunk > 0, "chunk", "chunk must be positive");
      FieldException.require(cacheHit >= 0 && cacheHit <= 1, "cache-hit", "cache-hit must be 0..1");
    }

    /** Reads of data before the one that finds EOF. */
    public long dataReads() {
      return size == 0 ? 0 : (size + chunk - 1) / chunk;
    }
  }

  /** Runs the named step list declared under the scenario's (or an included file's) steps. */
  record Call(String name) implements Step {}

  /** The goroutine returns (goexit). Reaching the end of a program does the same. */
  record Exit() implements Step {}

  /** A request starts here: its latency counts from now (time.Now() at the handler's start). */
  record RequestStart() implements Step {}

  /** The request ends here: its latency goes to requestLatencyNs. */
  record RequestEnd() implements Step {}
}
