// Sleep lengths under load (calibration of the timer slack and of the syscall
// durations in the syscall mirrors).
// Runs the same load as programs/syscall (N goroutines looping on a blocking
// raw nanosleep(D) through syscall.Syscall, GOMAXPROCS as given) and, on a C
// thread outside the Go scheduler (like sysmon, a thread that sleeps with
// nanosleep and holds no P), alternately sleeps 20us (sysmon's shortest
// usleep) and D, timing each sleep with clock_gettime(CLOCK_MONOTONIC).
// It does the same with the machine idle first, so the two can be compared. With
// -own the load's goroutines sleep in a cgo call that times its own nanosleep on
// the M's thread instead (same entersyscall/exitsyscall path), a cross-check that
// the probe thread sees what the load's threads see.
// The binary is cgo-linked (one more thread than programs/syscall); it is a
// measurement of the kernel's sleeps, not of thread counts.
// Prints TSV rows: phase, sleep, samples, then the percentiles p5 p15 ... p95
// (the middles of the ten deciles) and p99, in ns.
package main

/*
#cgo LDFLAGS: -lpthread
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

static long long now_ns(void) {
	struct timespec ts; clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

struct probe {
	long long d_ns, until_ns;
	long long *short_s, *long_s;
	int cap, nshort, nlong;
};

static void *run(void *arg) {
	struct probe *p = arg;
	while (now_ns() < p->until_ns && p->nshort < p->cap && p->nlong < p->cap) {
		struct timespec a = {0, 20000};
		long long t0 = now_ns();
		nanosleep(&a, 0);
		p->short_s[p->nshort++] = now_ns() - t0;
		struct timespec b = {p->d_ns / 1000000000LL, p->d_ns % 1000000000LL};
		t0 = now_ns();
		nanosleep(&b, 0);
		p->long_s[p->nlong++] = now_ns() - t0;
	}
	return 0;
}

static struct probe *start_probe(long long d_ns, long long dur_ns, int cap, pthread_t *t) {
	struct probe *p = calloc(1, sizeof *p);
	p->d_ns = d_ns;
	p->until_ns = now_ns() + dur_ns;
	p->cap = cap;
	p->short_s = calloc(cap, sizeof(long long));
	p->long_s = calloc(cap, sizeof(long long));
	pthread_create(t, 0, run, p);
	return p;
}

static void join(pthread_t t) { pthread_join(t, 0); }

// The load's own call, timed on the M's thread (for -own): a cgo call goes through
// entersyscall/exitsyscall like syscall.Syscall, and the clock reads sit right around the sleep.
static long long timed_nanosleep(long long d_ns) {
	struct timespec b = {d_ns / 1000000000LL, d_ns % 1000000000LL};
	long long t0 = now_ns();
	nanosleep(&b, 0);
	return now_ns() - t0;
}
static long long sample(long long *s, int i) { return s[i]; }
*/
import "C"

import (
	"flag"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

func report(phase, name string, s *C.longlong, n C.int) {
	v := make([]int64, int(n))
	for i := range v {
		v[i] = int64(C.sample(s, C.int(i)))
	}
	emit(phase, name, v)
}

func emit(phase, name string, v []int64) {
	sort.Slice(v, func(i, j int) bool { return v[i] < v[j] })
	q := func(f float64) int64 {
		if len(v) == 0 {
			return 0
		}
		return v[int(f*float64(len(v)-1))]
	}
	fmt.Printf("%s\t%s\t%d", phase, name, len(v))
	for _, f := range []float64{0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95, 0.99} {
		fmt.Printf("\t%d", q(f))
	}
	fmt.Println()
}

func probe(phase string, d, dur time.Duration, load func()) {
	var t C.pthread_t
	p := C.start_probe(C.longlong(d.Nanoseconds()), C.longlong(dur.Nanoseconds()), 100000, &t)
	if load != nil {
		load()
	}
	C.join(t)
	report(phase, "nanosleep_20us", p.short_s, p.nshort)
	report(phase, fmt.Sprintf("nanosleep_%dus", d.Microseconds()), p.long_s, p.nlong)
}

func main() {
	n := flag.Int("n", 100, "goroutines in the load")
	d := flag.Duration("d", 100*time.Microsecond, "duration of each blocking syscall")
	dur := flag.Duration("dur", 2*time.Second, "duration of the load phase")
	idle := flag.Duration("idle", time.Second, "duration of the idle phase before it (0: none)")
	own := flag.Bool("own", false, "the load sleeps in a cgo call that times its own nanosleep "+
		"(a cross-check of the probe thread; prints phase \"own\")")
	flag.Parse()

	if *idle > 0 {
		probe("idle", *d, *idle, nil)
	}
	var ops int64
	var mu sync.Mutex
	var owns []int64
	probe("load", *d, *dur, func() {
		deadline := time.Now().Add(*dur)
		var wg sync.WaitGroup
		for i := 0; i < *n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ts := syscall.NsecToTimespec(int64(*d))
				var mine []int64
				for time.Now().Before(deadline) {
					if *own {
						mine = append(mine, int64(C.timed_nanosleep(C.longlong(d.Nanoseconds()))))
					} else {
						t := ts
						syscall.Syscall(syscall.SYS_NANOSLEEP, uintptr(unsafe.Pointer(&t)), 0, 0)
					}
					atomic.AddInt64(&ops, 1)
				}
				mu.Lock()
				owns = append(owns, mine...)
				mu.Unlock()
			}()
		}
		wg.Wait()
	})
	if *own {
		emit("own", fmt.Sprintf("nanosleep_%dus", d.Microseconds()), owns)
	}
	fmt.Printf("# load: n=%d d=%v ops=%d ops_per_s=%.0f\n", *n, *d, ops, float64(ops)/dur.Seconds())
}
