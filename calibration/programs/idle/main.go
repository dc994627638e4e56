// Case (a) idle, pure Go (CGO not linked).
// Mirrors: a program whose main goroutine just sleeps. Baseline thread count
// at start (m0 + sysmon + whatever the runtime starts for GC/bgsweep workers
// at init) for GOMAXPROCS=1,2,4. See ../idlecgo for the cgo-linked twin.
package main

import (
	"flag"
	"fmt"
	"time"
)

func main() {
	dur := flag.Duration("dur", 2*time.Second, "how long main sleeps")
	flag.Parse()
	time.Sleep(*dur)
	fmt.Println("ops=0")
}
