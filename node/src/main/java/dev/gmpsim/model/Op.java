package dev.gmpsim.model;

import dev.gmpsim.protocol.scenario.Dist;

/**
 * The model's instruction set: a scenario's steps compiled for the M that interprets them, plus
 * the few the runtime itself needs (accept loops, request marks, the template thread).
 */
public sealed interface Op {
  record Compute(Dist duration) implements Op {}

  /** RawSyscall: the kernel without entersyscall; the P stays, as for compute. */
  record RawSyscall(String name, Dist duration) implements Op {}

  /** {@code wakeup} null: the cost table's rule for a call of this name (Costs.wakeup). */
  record Syscall(String name, Dist duration, boolean block, Dist wakeup) implements Op {
    Syscall(String name, Dist duration, boolean block) {
      this(name, duration, block, null);
    }
  }

  record Cgo(Dist duration, Dist wakeup) implements Op {
    Cgo(Dist duration) {
      this(duration, null);
    }
  }

  record Vdso(String name) implements Op {}

  /** A socket read; {@code startsRequest} marks the data's arrival as a request's start. */
  record NetRead(Dist delay, boolean startsRequest, Dist every, Dist first) implements Op {
    NetRead(Dist delay, boolean startsRequest) {
      this(delay, startsRequest, null, null);
    }
  }

  record NetWrite() implements Op {}

  record Sleep(Dist duration) implements Op {}

  /** Channel send (a semaphore acquire is a send on a buffered channel). */
  record Send(int chan) implements Op {}

  /** Channel receive (a semaphore release). */
  record Recv(int chan) implements Op {}

  /**
   * LockOSThread; {@code user} is runtime.LockOSThread, which also starts the template thread,
   * as opposed to the runtime's internal lockOSThread around init.
   */
  record Lock(boolean user) implements Op {}

  /** UnlockOSThread ({@code user}) or the runtime's internal unlockOSThread; calls nest. */
  record Unlock(boolean user) implements Op {}

  /** newproc; the child inherits the request start when {@code carriesRequest}. */
  record Spawn(Op[] program, boolean carriesRequest) implements Op {}

  /** {@code count} 0 is forever. */
  /** {@code until}: absolute virtual time, {@code forNs}: from the loop's start; -1 for none. */
  /** A loop; {@code flags[flag]} (flag >= 0) ends it at an iteration's start, as {@code for !f.Load()}. */
  record Loop(int count, Op[] body, long until, long forNs, boolean[] flags, int flag) implements Op {
    Loop(int count, Op[] body) {
      this(count, body, -1, -1, null, -1);
    }

    Loop(int count, Op[] body, long until, long forNs) {
      this(count, body, until, forNs, null, -1);
    }

    boolean stopped() {
      return flag >= 0 && flags[flag];
    }
  }

  /** close(ch). */
  record Close(int chan) implements Op {}

  /** wg.Done(). */
  record Done(int wg) implements Op {}

  /** wg.Wait(). */
  record Wait(int wg) implements Op {}

  /** flag.Store(true). */
  record Set(int flag) implements Op {}

  record Gosched() implements Op {}

  record Block(String reason) implements Op {}

  record Exit() implements Op {}

  /** An accept loop parked on the listener until the next arrival of {@code arrivals}. */
  record Accept(int arrivals) implements Op {}

  record RequestEnd() implements Op {}

  /** A request-start step: the G's request latency counts from here. */
  record RequestStart() implements Op {}

  /** mallocgc of {@code bytes}: heapLive grows; may start a GC cycle or assist the mark. */
  record Alloc(long bytes) implements Op {}

  /** gcBgMarkWorker's loop body: drain mark work for a slice, or park (GcController decides). */
  record MarkWork() implements Op {}

  /** runtime.main in a cgo binary starts the template thread. */
  record StartTemplateThread() implements Op {}
}
