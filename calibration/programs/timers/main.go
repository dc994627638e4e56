// Case (e) timers.
// Mirrors: N goroutines each doing time.Sleep(D) in a loop. Pure netpoller /
// timer-heap work: goroutines park on timers, no blocking syscalls, so the
// thread count should stay near the baseline (+ spinning Ms).
package main

import (
	"flag"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	n := flag.Int("n", 1000, "goroutines")
	d := flag.Duration("d", time.Millisecond, "sleep per iteration")
	dur := flag.Duration("dur", 2*time.Second, "duration")
	tail := flag.Duration("tail", 500*time.Millisecond, "idle time afterwards")
	flag.Parse()
	var ops int64
	deadline := time.Now().Add(*dur)
	var wg sync.WaitGroup
	for i := 0; i < *n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				time.Sleep(*d)
				atomic.AddInt64(&ops, 1)
			}
		}()
	}
	wg.Wait()
	fmt.Printf("ops=%d ops_per_s=%.0f\n", ops, float64(ops)/dur.Seconds())
	time.Sleep(*tail)
}
