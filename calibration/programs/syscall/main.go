// Case (b) blocking-syscall burst.
// Mirrors: N goroutines, each in a loop doing a blocking system call that
// lasts D (raw nanosleep through syscall.Syscall, i.e. with
// entersyscall/exitsyscall; sysmon must retake the P when the call blocks
// longer than ~20us, handoffp then starts/wakes another M). The loop runs for
// -dur, then main idles for -tail so schedtrace shows whether threads shrink
// (they do not: surplus Ms park as idle threads).
// -mode=nanosleep (default) | select (syscall.Select with timeout D on no fds)
package main

import (
	"flag"
	"fmt"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

func main() {
	n := flag.Int("n", 10, "goroutines")
	d := flag.Duration("d", time.Millisecond, "duration of each blocking syscall")
	dur := flag.Duration("dur", 2*time.Second, "duration of the burst")
	tail := flag.Duration("tail", 700*time.Millisecond, "idle time after the burst")
	mode := flag.String("mode", "nanosleep", "nanosleep|select")
	flag.Parse()

	var ops int64
	deadline := time.Now().Add(*dur)
	var wg sync.WaitGroup
	for i := 0; i < *n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ts := syscall.NsecToTimespec(int64(*d))
			for time.Now().Before(deadline) {
				switch *mode {
				case "select":
					tv := syscall.NsecToTimeval(int64(*d))
					syscall.Select(0, nil, nil, nil, &tv)
				default:
					t := ts
					syscall.Syscall(syscall.SYS_NANOSLEEP, uintptr(unsafe.Pointer(&t)), 0, 0)
				}
				atomic.AddInt64(&ops, 1)
			}
		}()
	}
	wg.Wait()
	fmt.Printf("ops=%d ops_per_s=%.0f\n", ops, float64(ops)/dur.Seconds())
	time.Sleep(*tail)
}
