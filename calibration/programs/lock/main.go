// Case (d) LockOSThread.
// Mirrors: N goroutines that runtime.LockOSThread() and then time.Sleep(S).
// A locked G owns its M, so each needs its own thread while parked.
// -mode=keep:   lock, sleep, return WITHOUT unlocking -> the runtime
//
//	terminates the thread when the goroutine exits (threads shrink).
//
// -mode=unlock: lock, sleep, UnlockOSThread, return -> M goes back to the
//
//	idle M list (threads stay, idlethreads grows).
//
// -mode=hold:   lock, sleep, then block forever (still locked) until exit.
// After the goroutines finish, main idles for -tail.
package main

import (
	"flag"
	"fmt"
	"runtime"
	"sync"
	"time"
)

func main() {
	n := flag.Int("n", 100, "goroutines")
	sl := flag.Duration("sleep", time.Second, "sleep while locked")
	mode := flag.String("mode", "keep", "keep|unlock|hold")
	tail := flag.Duration("tail", 1000*time.Millisecond, "idle time afterwards")
	flag.Parse()

	var wg sync.WaitGroup
	block := make(chan struct{})
	for i := 0; i < *n; i++ {
		wg.Add(1)
		go func() {
			runtime.LockOSThread()
			time.Sleep(*sl)
			switch *mode {
			case "unlock":
				runtime.UnlockOSThread()
				wg.Done()
			case "hold":
				wg.Done()
				<-block
			default:
				wg.Done()
			}
		}()
	}
	wg.Wait()
	fmt.Printf("ops=%d\n", *n)
	time.Sleep(*tail)
}
