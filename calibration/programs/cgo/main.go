// Case (c) cgo blocking calls.
// Mirrors: N goroutines, each in a loop calling a C function that does
// usleep(D). A cgo call holds its M for the whole call (entersyscall, the P
// is retaken by sysmon), so unbounded concurrency needs ~N threads.
// -sem=K bounds the number of concurrent C calls with a channel semaphore.
// The loop runs for -dur, then main idles for -tail.
package main

/*
#include <unistd.h>
static void block_us(unsigned int us) { usleep(us); }
*/
import "C"

import (
	"flag"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	n := flag.Int("n", 100, "goroutines")
	d := flag.Duration("d", 50*time.Millisecond, "usleep duration inside C")
	sem := flag.Int("sem", 0, "max concurrent C calls (0 = unbounded)")
	dur := flag.Duration("dur", 2*time.Second, "duration of the burst")
	tail := flag.Duration("tail", 700*time.Millisecond, "idle time after the burst")
	flag.Parse()

	var s chan struct{}
	if *sem > 0 {
		s = make(chan struct{}, *sem)
	}
	us := C.uint(d.Microseconds())
	var ops int64
	deadline := time.Now().Add(*dur)
	var wg sync.WaitGroup
	for i := 0; i < *n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				if s != nil {
					s <- struct{}{}
					if !time.Now().Before(deadline) { // don't drain the queue after the deadline
						<-s
						break
					}
				}
				C.block_us(us)
				if s != nil {
					<-s
				}
				atomic.AddInt64(&ops, 1)
			}
		}()
	}
	wg.Wait()
	fmt.Printf("ops=%d ops_per_s=%.0f\n", ops, float64(ops)/dur.Seconds())
	time.Sleep(*tail)
}
