// Case (f) network server.
// Mirrors: a TCP server on 127.0.0.1 with K persistent client connections,
// one handler goroutine per connection, each request a small (64 B)
// request/response; the handler burns ~W of CPU (default 20us). Sockets are
// non-blocking and parked in the netpoller, so blocked reads do NOT hold an M.
// -sys D adds a blocking nanosleep(D) to each request (workload B: a disk read per request).
// The load generator (K conns, fixed total rate R req/s, open-loop pacing per
// connection) runs in a CHILD process (same binary, -role=client, GODEBUG
// stripped) so the schedtrace of this process only shows the server.
// -readfile PATH reads a file per request with os.ReadFile and -alloc N allocates N bytes per
// request (-live N keeps N bytes live for the whole run; -gogc sets GOGC): the GC cases, whose
// cycle count and pauses are printed with the server's summary.
package main

import (
	"flag"
	"fmt"
	"io"
	"math/rand"
	"net"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

const msg = 64

func spin(w time.Duration) {
	t0 := time.Now()
	for time.Since(t0) < w {
	}
}

// block makes the blocking syscall a request may need (-sys D): a raw nanosleep(D) through
// syscall.Syscall, standing in for a disk read (the reference text's workload B).
func block(d time.Duration) {
	ts := syscall.NsecToTimespec(int64(d))
	syscall.Syscall(syscall.SYS_NANOSLEEP, uintptr(unsafe.Pointer(&ts)), 0, 0)
}

// The GC cases' per-request work and what the whole run kept live.
var (
	readFile string
	allocN   int
	live     [][]byte
	sink     []byte
)

// perRequestAlloc reads the file and allocates what -readfile and -alloc ask, touching every
// page so that the allocation is real.
func perRequestAlloc() {
	if readFile != "" {
		b, err := os.ReadFile(readFile)
		if err != nil {
			panic(err)
		}
		sink = b
	}
	if allocN > 0 {
		b := make([]byte, allocN)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		sink = b
	}
}

func server(k, rate int, dur, work, sys, tail time.Duration) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	var reqs int64
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				buf := make([]byte, msg)
				for {
					if _, err := io.ReadFull(c, buf); err != nil {
						return
					}
					spin(work)
					perRequestAlloc()
					if sys > 0 {
						block(sys)
					}
					if _, err := c.Write(buf); err != nil {
						return
					}
					atomic.AddInt64(&reqs, 1)
				}
			}(c)
		}
	}()
	var env []string
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "GODEBUG=") && !strings.HasPrefix(e, "GOMAXPROCS=") {
			env = append(env, e)
		}
	}
	cmd := exec.Command(os.Args[0], "-role=client", "-addr="+ln.Addr().String(),
		fmt.Sprint("-k=", k), fmt.Sprint("-rate=", rate), "-dur="+dur.String())
	cmd.Env = env
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		panic(err)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	gc := ""
	if readFile != "" || allocN > 0 {
		pauses := append([]uint64(nil), ms.PauseNs[:pauseCount(ms.NumGC)]...)
		sort.Slice(pauses, func(i, j int) bool { return pauses[i] < pauses[j] })
		var p50, max uint64
		if len(pauses) > 0 {
			p50, max = pauses[len(pauses)/2], pauses[len(pauses)-1]
		}
		gc = fmt.Sprintf("gc_cycles=%d gc_pause_p50_us=%d gc_pause_max_us=%d gc_cpu_fraction=%.4f heap_sys_mb=%d ",
			ms.NumGC, p50/1000, max/1000, ms.GCCPUFraction, ms.HeapSys>>20)
	}
	// CPU time of each side: the load generator is the background load on the same cores.
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	cpu := fmt.Sprintf("server_cpu_ms=%d client_cpu_ms=%d ",
		(time.Duration(ru.Utime.Nano())+time.Duration(ru.Stime.Nano())).Milliseconds(),
		(cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Milliseconds())
	fmt.Printf("server_reqs=%d %s%s%s", atomic.LoadInt64(&reqs), cpu, gc, out)
	time.Sleep(tail)
}

func client(addr string, k, rate int, dur time.Duration) {
	conns := make([]net.Conn, k)
	for i := range conns {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			panic(err)
		}
		conns[i] = c
	}
	interval := time.Duration(float64(time.Second) * float64(k) / float64(rate))
	start := time.Now()
	deadline := start.Add(dur)
	var mu sync.Mutex
	var lat []time.Duration
	var wg sync.WaitGroup
	for _, c := range conns {
		wg.Add(1)
		go func(c net.Conn) {
			defer wg.Done()
			defer c.Close()
			buf := make([]byte, msg)
			next := start.Add(time.Duration(rand.Int63n(int64(interval))))
			var my []time.Duration
			for next.Before(deadline) {
				if d := time.Until(next); d > 0 {
					time.Sleep(d)
				}
				t0 := time.Now()
				if _, err := c.Write(buf); err != nil {
					panic(err)
				}
				if _, err := io.ReadFull(c, buf); err != nil {
					panic(err)
				}
				my = append(my, time.Since(t0))
				next = next.Add(interval)
			}
			mu.Lock()
			lat = append(lat, my...)
			mu.Unlock()
		}(c)
	}
	wg.Wait()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	p := func(q float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[int(q*float64(len(lat)-1))]
	}
	fmt.Printf("ops=%d ops_per_s=%.0f rtt_p50_us=%d rtt_p99_us=%d\n", len(lat),
		float64(len(lat))/dur.Seconds(), p(0.5).Microseconds(), p(0.99).Microseconds())
}

func main() {
	role := flag.String("role", "server", "server|client")
	addr := flag.String("addr", "", "server address (client role)")
	k := flag.Int("k", 100, "client connections")
	rate := flag.Int("rate", 5000, "total requests per second")
	dur := flag.Duration("dur", 3*time.Second, "load duration")
	work := flag.Duration("work", 20*time.Microsecond, "server CPU per request")
	sys := flag.Duration("sys", 0, "a blocking syscall of this length per request (0: none)")
	tail := flag.Duration("tail", 500*time.Millisecond, "server idle time after load")
	flag.StringVar(&readFile, "readfile", "", "read this file per request (os.ReadFile)")
	flag.IntVar(&allocN, "alloc", 0, "bytes allocated per request")
	liveN := flag.Int("live", 0, "bytes kept live for the whole run")
	gogc := flag.String("gogc", "", "GOGC for the server: a percentage or off")
	flag.Parse()
	if *gogc == "off" {
		debug.SetGCPercent(-1)
	} else if *gogc != "" {
		var pct int
		fmt.Sscan(*gogc, &pct)
		debug.SetGCPercent(pct)
	}
	for n := 0; n < *liveN; n += 1 << 20 {
		b := make([]byte, 1<<20)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		live = append(live, b)
	}
	if *role == "client" {
		client(*addr, *k, *rate, *dur)
		return
	}
	server(*k, *rate, *dur, *work, *sys, *tail)
}

// pauseCount is how many of MemStats' 256 recent pauses are filled (Go 1.19 has no min).
func pauseCount(numGC uint32) int {
	if numGC > 256 {
		return 256
	}
	return int(numGC)
}
