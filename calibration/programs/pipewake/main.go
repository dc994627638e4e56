// Case (o) goroutines woken through the netpoller by other goroutines (issue 12).
// Mirrors: N pairs over os.Pipe. Each writer writes one byte, then time.Sleep(every), until
// -dur; each reader blocks in r.Read (parked on the netpoller, "IO wait", holding no thread)
// until its writer's write makes the pipe readable (netpollready: the M blocked in epoll_wait,
// a P's findRunnable or sysmon returns it), then optionally makes a blocking raw nanosleep(sys)
// through syscall.Syscall, as a handler would. After -dur the writers close their ends: each
// reader gets EOF and returns. Then main idles for -tail (threads do not shrink).
// Prints writes, reads, and the median and p99 of write-to-read latency.
package main

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"sync"
	"syscall"
	"time"
	"unsafe"
)

func main() {
	n := flag.Int("n", 100, "pairs")
	every := flag.Duration("every", time.Millisecond, "time.Sleep between a writer's writes")
	sys := flag.Duration("sys", 0, "blocking nanosleep after each read (0: none)")
	dur := flag.Duration("dur", 2*time.Second, "how long the writers write")
	tail := flag.Duration("tail", 700*time.Millisecond, "idle time after the burst")
	flag.Parse()

	deadline := time.Now().Add(*dur)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var lat []time.Duration
	var writes, reads int
	for i := 0; i < *n; i++ {
		r, w, err := os.Pipe()
		if err != nil {
			panic(err)
		}
		wg.Add(2)
		go func() {
			defer wg.Done()
			defer w.Close()
			b := []byte{1}
			k := 0
			for time.Now().Before(deadline) {
				if _, err := w.Write(b); err != nil {
					panic(err)
				}
				k++
				time.Sleep(*every)
			}
			mu.Lock()
			writes += k
			mu.Unlock()
		}()
		go func() {
			defer wg.Done()
			defer r.Close()
			buf := make([]byte, 4096)
			ts := syscall.NsecToTimespec(int64(*sys))
			var mine []time.Duration
			k := 0
			for {
				t0 := time.Now()
				if _, err := r.Read(buf); err != nil {
					break // EOF: the writer closed its end
				}
				k++
				mine = append(mine, time.Since(t0))
				if *sys > 0 {
					t := ts
					syscall.Syscall(syscall.SYS_NANOSLEEP, uintptr(unsafe.Pointer(&t)), 0, 0)
				}
			}
			mu.Lock()
			reads += k
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	p := func(q float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		return float64(lat[int(q*float64(len(lat)-1))].Microseconds())
	}
	// wait_us: how long a read was parked before its data came (includes the writer's sleep).
	fmt.Printf("writes=%d reads=%d wait_p50_us=%.0f wait_p99_us=%.0f\n", writes, reads, p(0.5), p(0.99))
	time.Sleep(*tail)
}
