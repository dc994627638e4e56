// Case (o) goroutines exiting while locked, one of them on m0.
// Mirrors: main starts -n goroutines and waits for them (sync.WaitGroup); each locks its thread
// with runtime.LockOSThread, sleeps in a raw nanosleep(-d) and returns without unlocking, so its
// thread exits with it. With GOMAXPROCS=1 the first goroutine runs on m0 (the main thread, whose
// tid is the pid) as soon as main parks in Wait: the runtime cannot exit m0, so it wedges it,
// and from then on schedtrace's threads= is one lower than the OS count. Then -tail idle.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

func main() {
	n := flag.Int("n", 10, "goroutines exiting locked")
	d := flag.Duration("d", 10*time.Millisecond, "raw nanosleep of each before it exits")
	tail := flag.Duration("tail", time.Second, "idle time after the last exit")
	flag.Parse()
	var onM0 int32
	var wg sync.WaitGroup
	for i := 0; i < *n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread()
			if syscall.Gettid() == os.Getpid() {
				atomic.AddInt32(&onM0, 1)
			}
			ts := syscall.NsecToTimespec(int64(*d))
			syscall.Syscall(syscall.SYS_NANOSLEEP, uintptr(unsafe.Pointer(&ts)), 0, 0)
		}()
	}
	wg.Wait()
	fmt.Printf("exited_locked=%d on_m0=%d\n", *n, atomic.LoadInt32(&onM0))
	time.Sleep(*tail)
}
