// Case (a) idle, cgo-linked variant.
// Mirrors: same as ../idle but the binary links the cgo runtime (import "C"),
// which makes runtime.main start the "template thread" (startTemplateThread)
// before notifying the C side that init is done: expect one extra thread.
package main

/*
static int nothing(void) { return 0; }
*/
import "C"

import (
	"flag"
	"fmt"
	"time"
)

func main() {
	dur := flag.Duration("dur", 2*time.Second, "how long main sleeps")
	flag.Parse()
	_ = C.nothing // referenced, but never called: only linkage matters here
	time.Sleep(*dur)
	fmt.Println("ops=0")
}
