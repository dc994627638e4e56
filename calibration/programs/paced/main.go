// Case (j) requests started from a time.Sleep loop.
// Mirrors: main loops n times on time.Sleep(gap) and `go request` (30us of CPU, then a raw
// nanosleep(d) through syscall.Syscall), twice, 1.8s apart. A 200us sleep is a runtime timer:
// it ends when some P in schedule() runs its P's timers, or when the M asleep in epoll_wait
// (whole milliseconds) wakes. Prints how long each loop took.
package main

import (
	"flag"
	"fmt"
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
	n := flag.Int("n", 1000, "")
	gap := flag.Duration("gap", 200*time.Microsecond, "")
	d := flag.Duration("d", 2*time.Millisecond, "")
	flag.Parse()
	for b := 0; b < 2; b++ {
		t0 := time.Now()
		for i := 0; i < *n; i++ {
			time.Sleep(*gap)
			go func() {
				spin(30 * time.Microsecond)
				ts := syscall.NsecToTimespec(int64(*d))
				syscall.Syscall(syscall.SYS_NANOSLEEP, uintptr(unsafe.Pointer(&ts)), 0, 0)
			}()
		}
		fmt.Printf("loop_ms=%.1f ", float64(time.Since(t0).Microseconds())/1000)
		time.Sleep(1800 * time.Millisecond)
	}
	fmt.Println()
}
