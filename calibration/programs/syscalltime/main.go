// How long each raw nanosleep(D) takes inside the burst of programs/syscall (timed around the
// call in every goroutine, exitsyscall included): p1-p99 over all calls and the errno counts.
package main

import (
	"flag"
	"fmt"
	"sort"
	"sync"
	"syscall"
	"time"
	"unsafe"
)

func main() {
	n := flag.Int("n", 100, "")
	d := flag.Duration("d", 100*time.Microsecond, "")
	dur := flag.Duration("dur", 2*time.Second, "")
	flag.Parse()
	deadline := time.Now().Add(*dur)
	var mu sync.Mutex
	var all []int64
	errs := map[syscall.Errno]int{}
	var wg sync.WaitGroup
	for i := 0; i < *n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ts := syscall.NsecToTimespec(int64(*d))
			var mine []int64
			myerr := map[syscall.Errno]int{}
			for time.Now().Before(deadline) {
				t := ts
				t0 := time.Now()
				_, _, e := syscall.Syscall(syscall.SYS_NANOSLEEP, uintptr(unsafe.Pointer(&t)), 0, 0)
				mine = append(mine, int64(time.Since(t0)))
				myerr[e]++
			}
			mu.Lock()
			all = append(all, mine...)
			for k, v := range myerr { errs[k] += v }
			mu.Unlock()
		}()
	}
	wg.Wait()
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	q := func(p float64) int64 { return all[int(p*float64(len(all)-1))] / 1000 }
	fmt.Printf("ops=%d p1=%d p10=%d p50=%d p90=%d p99=%d errs=%v\n", len(all), q(0.01), q(0.1), q(0.5), q(0.9), q(0.99), errs)
}
