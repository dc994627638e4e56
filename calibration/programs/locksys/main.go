// Case (m) locked and unlocked goroutines in blocking syscalls.
// Mirrors: -n goroutines LockOSThread and loop on a raw nanosleep(d) through syscall.Syscall
// until a deadline 2s away, beside -m unlocked goroutines doing the same; then main sleeps
// 0.5s. A locked goroutine needs its own M, and when it exits while locked the M is destroyed,
// so threads fall back by n at the deadline while the unlocked goroutines' Ms stay idle.
package main

import (
	"flag"
	"runtime"
	"syscall"
	"time"
	"unsafe"
)

func main() {
	n := flag.Int("n", 20, "")
	m := flag.Int("m", 50, "unlocked syscall goroutines")
	d := flag.Duration("d", time.Millisecond, "")
	flag.Parse()
	deadline := time.Now().Add(2 * time.Second)
	loop := func(lock bool) {
		if lock {
			runtime.LockOSThread()
		}
		ts := syscall.NsecToTimespec(int64(*d))
		for time.Now().Before(deadline) {
			t := ts
			syscall.Syscall(syscall.SYS_NANOSLEEP, uintptr(unsafe.Pointer(&t)), 0, 0)
		}
	}
	for i := 0; i < *n; i++ {
		go loop(true)
	}
	for i := 0; i < *m; i++ {
		go loop(false)
	}
	time.Sleep(2500 * time.Millisecond)
}
