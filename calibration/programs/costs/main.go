// Micro-costs of the real runtime on this machine (case 4), for calibrating
// GMPsim's cost model. Prints TSV rows: name, median_ns, p90_ns, method.
// Each measurement is repeated many times; batched ones report per-call cost
// of each batch (median / p90 over batches).
//
//	syscall_getpid       syscall.Syscall(SYS_GETPID): entersyscall+exitsyscall+trap
//	rawsyscall_getpid    syscall.RawSyscall(SYS_GETPID): trap only (no scheduler hooks)
//	time_now             time.Now() (vDSO clock_gettime, wall+mono)
//	cgo_call_empty       Go->C call of an empty C function (cgocall/asmcgocall)
//	pthread_create_join  C: pthread_create + pthread_join of an empty thread
//	go_new_m_locked      per-iteration cost of starting a goroutine that
//	                     LockOSThread()s and parks forever, so every iteration
//	                     needs a fresh M (newm -> clone -> mstart) + handoff
//	chan_pingpong_oneway two ordinary goroutines ping-pong on unbuffered chans,
//	                     per one-way handoff (mostly same-P runnext, no futex)
//	futex_wake_to_run_locked  same ping-pong but both goroutines LockOSThread'd
//	                     (GOMAXPROCS=2): each handoff = futexwakeup of the
//	                     target M + its wake-up + schedule, one-way
//	nanosleep_<D>_actual syscall.Nanosleep(D) measured wall time
//	time_sleep_<D>_actual time.Sleep(D) measured wall time (timer + netpoll)
//	sysmon_retake_latency GOMAXPROCS=1: G1 enters a 5ms blocking nanosleep
//	                     while G2 is runnable; time until G2 runs (= sysmon
//	                     noticing the P in _Psyscall + handoffp + M wake)
package main

/*
#cgo LDFLAGS: -lpthread
#include <pthread.h>
#include <time.h>
static void empty(void) {}
static void *thr(void *a) { return a; }
static long long now_ns(void) {
	struct timespec ts; clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}
static long long create_join(void) {
	pthread_t t;
	long long t0 = now_ns();
	pthread_create(&t, 0, thr, 0);
	pthread_join(t, 0);
	return now_ns() - t0;
}
*/
import "C"

import (
	"flag"
	"fmt"
	"runtime"
	"sort"
	"syscall"
	"time"
	"unsafe"
)

func dstr(d time.Duration) string {
	if d < time.Millisecond {
		return fmt.Sprintf("%dus", d.Microseconds())
	}
	return fmt.Sprintf("%dms", d.Milliseconds())
}

func report(name string, xs []float64, method string) {
	sort.Float64s(xs)
	q := func(p float64) float64 { return xs[int(p*float64(len(xs)-1))] }
	fmt.Printf("%s\t%.1f\t%.1f\t%s\n", name, q(0.5), q(0.9), method)
}

func batched(name, method string, batches, per int, f func()) {
	xs := make([]float64, 0, batches)
	for b := 0; b < batches; b++ {
		t0 := time.Now()
		for i := 0; i < per; i++ {
			f()
		}
		xs = append(xs, float64(time.Since(t0).Nanoseconds())/float64(per))
	}
	report(name, xs, fmt.Sprintf("%s; %d batches x %d calls, per-call", method, batches, per))
}

func main() {
	samples := flag.Int("samples", 200, "samples for per-event measurements")
	flag.Parse()
	runtime.GOMAXPROCS(2)

	batched("syscall_getpid", "syscall.Syscall(SYS_GETPID)", 200, 2000, func() { syscall.Syscall(syscall.SYS_GETPID, 0, 0, 0) })
	batched("rawsyscall_getpid", "syscall.RawSyscall(SYS_GETPID)", 200, 2000, func() { syscall.RawSyscall(syscall.SYS_GETPID, 0, 0, 0) })
	var sink time.Time
	batched("time_now", "time.Now() vDSO", 200, 5000, func() { sink = time.Now() })
	_ = sink
	batched("cgo_call_empty", "C.empty() from Go", 200, 2000, func() { C.empty() })

	// thread creation in C
	xs := make([]float64, *samples)
	for i := range xs {
		xs[i] = float64(C.create_join())
	}
	report("pthread_create_join", xs, fmt.Sprintf("C pthread_create+pthread_join of empty thread, clock_gettime in C; %d samples", *samples))

	// Go: every iteration forces a new M
	{
		ready := make(chan struct{})
		block := make(chan struct{})
		xs := make([]float64, 0, *samples)
		for i := 0; i < *samples; i++ {
			t0 := time.Now()
			go func() {
				runtime.LockOSThread()
				ready <- struct{}{}
				<-block
			}()
			<-ready
			// main resumes only after f parked its locked M and handed the P
			// to another M (idle one or a freshly created one)
			xs = append(xs, float64(time.Since(t0).Nanoseconds()))
		}
		report("go_new_m_locked", xs, fmt.Sprintf("go f(){LockOSThread; signal; park forever}; time from go stmt until main runs again (f parks its M -> handoffp -> newm/clone); %d samples", *samples))
		// those threads stay parked forever (the goroutines never return)
	}

	pingpong := func(lock bool) []float64 {
		const rounds = 2000
		a, b := make(chan int), make(chan int)
		done := make(chan struct{})
		go func() {
			if lock {
				runtime.LockOSThread()
			}
			for v := range a {
				b <- v
			}
			close(done)
		}()
		if lock {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
		}
		xs := make([]float64, 0, 50)
		for k := 0; k < 50; k++ {
			t0 := time.Now()
			for i := 0; i < rounds; i++ {
				a <- i
				<-b
			}
			xs = append(xs, float64(time.Since(t0).Nanoseconds())/float64(2*rounds))
		}
		close(a)
		<-done
		return xs
	}
	report("chan_pingpong_oneway", pingpong(false), "unbuffered chan ping-pong, plain goroutines, per one-way handoff; 50 batches x 2000 round trips")
	report("futex_wake_to_run_locked", pingpong(true), "unbuffered chan ping-pong, both goroutines LockOSThread'd (wake other M via futex), per one-way handoff; 50 batches x 2000 round trips")

	for _, d := range []time.Duration{20 * time.Microsecond, 100 * time.Microsecond, time.Millisecond} {
		xs := make([]float64, *samples)
		for i := range xs {
			ts := syscall.NsecToTimespec(int64(d))
			t0 := time.Now()
			syscall.Nanosleep(&ts, nil)
			xs[i] = float64(time.Since(t0).Nanoseconds())
		}
		report("nanosleep_"+dstr(d)+"_actual", xs, fmt.Sprintf("syscall.Nanosleep(%s) wall time; %d samples", dstr(d), *samples))
	}
	for _, d := range []time.Duration{20 * time.Microsecond, 100 * time.Microsecond, time.Millisecond} {
		xs := make([]float64, *samples)
		for i := range xs {
			t0 := time.Now()
			time.Sleep(d)
			xs[i] = float64(time.Since(t0).Nanoseconds())
		}
		report("time_sleep_"+dstr(d)+"_actual", xs, fmt.Sprintf("time.Sleep(%s) wall time; %d samples", dstr(d), *samples))
	}

	// sysmon retake latency with GOMAXPROCS=1
	{
		runtime.GOMAXPROCS(1)
		xs := make([]float64, 0, 100)
		for i := 0; i < 100; i++ {
			got := make(chan time.Time, 1)
			go func() { got <- time.Now() }() // runnable in runnext, cannot run: only P is ours
			ts := syscall.NsecToTimespec(int64(5 * time.Millisecond))
			t0 := time.Now()
			syscall.Syscall(syscall.SYS_NANOSLEEP, uintptr(unsafe.Pointer(&ts)), 0, 0)
			t1 := <-got
			xs = append(xs, float64(t1.Sub(t0).Nanoseconds()))
			time.Sleep(time.Duration(i%5) * time.Millisecond) // vary sysmon back-off state
		}
		report("sysmon_retake_latency", xs, "GOMAXPROCS=1: G1 in 5ms blocking syscall.Syscall(nanosleep), G2 runnable; time until G2 runs; 100 samples (5ms = no retake)")
		runtime.GOMAXPROCS(2)
	}
}
