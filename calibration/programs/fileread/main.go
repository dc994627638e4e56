// Case (g) file reads.
// Mirrors: N goroutines repeatedly os.ReadFile()ing a small page-cache-hot
// file. Regular files are not pollable: open/fstat/read/close are blocking
// syscalls (entersyscall/exitsyscall) but each is short (~1-5us), so sysmon
// rarely retakes the P (retake needs the P to sit in _Psyscall >= 1 sysmon
// tick, 20us+). Expect little thread growth.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	n := flag.Int("n", 10, "goroutines")
	size := flag.Int("size", 4096, "file size in bytes")
	dur := flag.Duration("dur", 2*time.Second, "duration")
	tail := flag.Duration("tail", 500*time.Millisecond, "idle time afterwards")
	flag.Parse()
	dir, err := os.MkdirTemp("", "gmpsim-fileread")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "f")
	if err := os.WriteFile(path, make([]byte, *size), 0o644); err != nil {
		panic(err)
	}
	var ops int64
	deadline := time.Now().Add(*dur)
	var wg sync.WaitGroup
	for i := 0; i < *n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				if _, err := os.ReadFile(path); err != nil {
					panic(err)
				}
				atomic.AddInt64(&ops, 1)
			}
		}()
	}
	wg.Wait()
	fmt.Printf("ops=%d ops_per_s=%.0f\n", ops, float64(ops)/dur.Seconds())
	time.Sleep(*tail)
}
