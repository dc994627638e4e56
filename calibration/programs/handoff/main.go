// Case (p) hand-offs over an unbuffered channel to consumers that make a blocking syscall (issue 12).
// Mirrors: one producer sends on an unbuffered channel as fast as a consumer takes each value
// (each send waits for its receiver: a parked consumer is handed the value and readied, goready
// into the producer's P's runnext); N consumers loop on `<-ch` and then a blocking raw
// nanosleep(d) through syscall.Syscall. After -dur the producer closes the channel, which wakes
// every parked consumer; they return. Then main idles for -tail (threads do not shrink).
// Prints the hand-offs done and their rate.
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
	n := flag.Int("n", 10, "consumers")
	d := flag.Duration("d", time.Millisecond, "each consumer's blocking nanosleep after a receive")
	dur := flag.Duration("dur", 2*time.Second, "how long the producer sends")
	tail := flag.Duration("tail", 700*time.Millisecond, "idle time after the burst")
	flag.Parse()

	ch := make(chan int)
	var done int64
	var wg sync.WaitGroup
	for i := 0; i < *n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ts := syscall.NsecToTimespec(int64(*d))
			for range ch {
				t := ts
				syscall.Syscall(syscall.SYS_NANOSLEEP, uintptr(unsafe.Pointer(&t)), 0, 0)
				atomic.AddInt64(&done, 1)
			}
		}()
	}
	deadline := time.Now().Add(*dur)
	sent := 0
	for time.Now().Before(deadline) {
		ch <- sent
		sent++
	}
	close(ch)
	wg.Wait()
	fmt.Printf("handoffs=%d per_s=%.0f\n", sent, float64(sent)/dur.Seconds())
	time.Sleep(*tail)
}
