// Case (m) workload C as a real program: a TCP server whose every request makes a blocking
// cgo call (usleep(D) in C, default 50ms), behind K keep-alive connections from a closed-loop
// load generator (think time exponential with mean T, as examples/workload-c-cgo.yaml's
// `think: exp(500ms)`). The handler burns exp(W) of CPU (default 50us) first, like the
// scenario's `compute: exp(50us)`. The load generator runs in a CHILD process (same binary,
// -role=client, GODEBUG stripped) so this process's schedtrace shows only the server.
// The server prints its own request latency (read done to write done) so that a run that
// queued requests behind Ps stuck in C shows it.
package main

/*
#include <unistd.h>
static void block_us(unsigned int us) { usleep(us); }
*/
import "C"

import (
	"flag"
	"fmt"
	"io"
	"math/rand"
	"net"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"time"
)

const msg = 64

func spin(w time.Duration) {
	t0 := time.Now()
	for time.Since(t0) < w {
	}
}

func expDur(r *rand.Rand, mean time.Duration) time.Duration {
	return time.Duration(r.ExpFloat64() * float64(mean))
}

func server(k int, think, dur, work, d, tail time.Duration) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	var mu sync.Mutex
	var lat []time.Duration
	us := C.uint(d.Microseconds())
	go func() {
		for i := 0; ; i++ {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn, seed int64) {
				defer c.Close()
				r := rand.New(rand.NewSource(seed))
				buf := make([]byte, msg)
				var my []time.Duration
				for {
					if _, err := io.ReadFull(c, buf); err != nil {
						break
					}
					t0 := time.Now()
					spin(expDur(r, work))
					C.block_us(us)
					if _, err := c.Write(buf); err != nil {
						break
					}
					my = append(my, time.Since(t0))
				}
				mu.Lock()
				lat = append(lat, my...)
				mu.Unlock()
			}(c, int64(i))
		}
	}()
	var env []string
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "GODEBUG=") && !strings.HasPrefix(e, "GOMAXPROCS=") {
			env = append(env, e)
		}
	}
	cmd := exec.Command(os.Args[0], "-role=client", "-addr="+ln.Addr().String(),
		fmt.Sprint("-k=", k), "-think="+think.String(), "-dur="+dur.String())
	cmd.Env = env
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		panic(err)
	}
	time.Sleep(200 * time.Millisecond) // let the handlers see EOF and record their latencies
	mu.Lock()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	p := func(q float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[int(q*float64(len(lat)-1))]
	}
	fmt.Printf("server_reqs=%d lat_p50_us=%d lat_p99_us=%d %s", len(lat),
		p(0.5).Microseconds(), p(0.99).Microseconds(), out)
	mu.Unlock()
	time.Sleep(tail)
}

func client(addr string, k int, think, dur time.Duration) {
	conns := make([]net.Conn, k)
	for i := range conns {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			panic(err)
		}
		conns[i] = c
	}
	// Every connection is open before the first request, as in the scenario (where the
	// connections exist at time 0): the load starts at once, not over the dial's ramp.
	start := make(chan struct{})
	var deadline time.Time
	var wg sync.WaitGroup
	var mu sync.Mutex
	ops := 0
	for i, c := range conns {
		wg.Add(1)
		go func(c net.Conn, seed int64) {
			defer wg.Done()
			defer c.Close()
			r := rand.New(rand.NewSource(seed))
			buf := make([]byte, msg)
			n := 0
			<-start
			for {
				time.Sleep(expDur(r, think))
				if !time.Now().Before(deadline) {
					break
				}
				if _, err := c.Write(buf); err != nil {
					panic(err)
				}
				if _, err := io.ReadFull(c, buf); err != nil {
					panic(err)
				}
				n++
			}
			mu.Lock()
			ops += n
			mu.Unlock()
		}(c, int64(i)+1)
	}
	deadline = time.Now().Add(dur)
	close(start)
	wg.Wait()
	fmt.Printf("ops=%d ops_per_s=%.0f\n", ops, float64(ops)/dur.Seconds())
}

func main() {
	role := flag.String("role", "server", "server|client")
	addr := flag.String("addr", "", "server address (client role)")
	k := flag.Int("k", 5000, "client connections")
	think := flag.Duration("think", 500*time.Millisecond, "mean think time per connection (exponential)")
	dur := flag.Duration("dur", 3*time.Second, "load duration")
	work := flag.Duration("work", 50*time.Microsecond, "mean server CPU per request (exponential)")
	d := flag.Duration("d", 50*time.Millisecond, "usleep inside the cgo call per request")
	tail := flag.Duration("tail", 300*time.Millisecond, "server idle time after load")
	flag.Parse()
	if *role == "client" {
		client(*addr, *k, *think, *dur)
		return
	}
	server(*k, *think, *dur, *work, *d, *tail)
}
