// Case (k) CPU-bound goroutines beside goroutines in blocking syscalls.
// Mirrors: -cpu goroutines spin in 1ms chunks of time.Now (never blocking, preempted by sysmon
// after 10ms), while -sys goroutines loop on 50us of spinning then a raw nanosleep(d) through
// syscall.Syscall, optionally followed by time.Sleep(-sleep). For -dur, then -tail idle.
package main

import (
	"flag"
	"syscall"
	"time"
	"unsafe"
)

func spin(d time.Duration) {
	end := time.Now().Add(d)
	for time.Now().Before(end) {
	}
}

func main() {
	cpu := flag.Int("cpu", 4, "cpu-bound goroutines")
	sys := flag.Int("sys", 20, "syscall goroutines")
	d := flag.Duration("d", time.Millisecond, "")
	work := flag.Duration("work", 50*time.Microsecond, "cpu between syscalls")
	sleep := flag.Duration("sleep", 0, "time.Sleep between syscalls")
	dur := flag.Duration("dur", 2*time.Second, "")
	flag.Parse()
	deadline := time.Now().Add(*dur)
	for i := 0; i < *cpu; i++ {
		go func() {
			for time.Now().Before(deadline) {
				spin(time.Millisecond)
			}
		}()
	}
	for i := 0; i < *sys; i++ {
		go func() {
			ts := syscall.NsecToTimespec(int64(*d))
			for time.Now().Before(deadline) {
				spin(*work)
				t := ts
				syscall.Syscall(syscall.SYS_NANOSLEEP, uintptr(unsafe.Pointer(&t)), 0, 0)
				if *sleep > 0 {
					time.Sleep(*sleep)
				}
			}
		}()
	}
	time.Sleep(*dur + 500*time.Millisecond) // the tail: threads do not shrink
}
