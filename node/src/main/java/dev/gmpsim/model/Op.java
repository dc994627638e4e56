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

  /**
   * A socket read; {@code startsRequest} marks the data's arrival as a request's start. {@code
   * tick} > 0: the peer is a closed-loop client paced by a time.Ticker of that period.
   */
  record NetRead(Dist delay, boolean startsRequest, Dist every, Dist first, long tick) implements Op {
    NetRead(Dist delay, boolean startsRequest) {
      this(delay, startsRequest, null, null, 0);
    }

    NetRead(Dist delay, boolean startsRequest, Dist every, Dist first) {
      this(delay, startsRequest, every, first, 0);
    }
  }

  /** The operations on a {@link Pipe}; {@link PipeSteps} runs them. */
  sealed interface PipeOp extends Op {}

  /** Each names pipes {@code pipe} to {@code pipe + count - 1}: the goroutine's index picks one. */
  record PipeWrite(int pipe, int count) implements PipeOp {}

  /** {@code deadline} null: none. {@code onError}: what the goroutine does after a failed read. */
  record PipeRead(int pipe, int count, Dist deadline, dev.gmpsim.protocol.scenario.Step.OnError onError)
      implements PipeOp {}

  /** Closes the read end, or with {@code writeEnd} the write end. */
  record PipeClose(int pipe, int count, boolean writeEnd) implements PipeOp {}

  /** time.Sleep until the run's virtual time {@code at} (a group's start-at). */
  record SleepUntil(long at) implements Op {}

  /** Parks until flag {@code flag} is set (a group's start-when). */
  record WaitFlag(int flag) implements Op {}

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
  /**
   * {@code indexed}: a group's launcher starting its i-th goroutine, which gets index i (others
   * inherit their parent's); a goroutine's index picks its pipe among a pipe name's count.
   */
  record Spawn(Op[] program, boolean carriesRequest, boolean indexed) implements Op {
    Spawn(Op[] program, boolean carriesRequest) {
      this(program, carriesRequest, false);
    }
  }

  /** {@code count} 0 is forever. */
  /** {@code until}: absolute virtual time, {@code forNs}: from the loop's start; -1 for none. */
  /** A loop; {@code flags[flag]} (flag >= 0) ends it at an iteration's start, as {@code for !f.Load()}. */
  /** {@code user}: a scenario's own loop step, which a {@code break} leaves (not a call or file-read). */
  record Loop(int count, Op[] body, long until, long forNs, boolean[] flags, int flag, boolean user) implements Op {
    Loop(int count, Op[] body) {
      this(count, body, -1, -1, null, -1, false);
    }

    Loop(int count, Op[] body, long until, long forNs) {
      this(count, body, until, forNs, null, -1, false);
    }

    Loop(int count, Op[] body, long until, long forNs, boolean[] flags, int flag) {
      this(count, body, until, forNs, flags, flag, false);
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
