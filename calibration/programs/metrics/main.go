// runtime/metrics as a Go program reads them: 10 goroutines blocked on a channel and 3 in
// time.Sleep, read after 200ms. Mirrored by calibration/scenarios/metrics-idle.yaml; the
// values it printed under Go 1.19 and 1.26 are in calibration/MEASUREMENTS.md.
package main

import (
	"fmt"
	"runtime/metrics"
	"time"
)

func main() {
	block := make(chan struct{})
	for i := 0; i < 10; i++ {
		go func() { <-block }()
	}
	for i := 0; i < 3; i++ {
		go func() { time.Sleep(time.Hour) }()
	}
	time.Sleep(200 * time.Millisecond)
	var samples []metrics.Sample
	for _, d := range metrics.All() {
		if len(d.Name) > 7 && d.Name[:7] == "/sched/" && d.Kind == metrics.KindUint64 {
			samples = append(samples, metrics.Sample{Name: d.Name})
		}
	}
	metrics.Read(samples)
	for _, s := range samples {
		fmt.Println(s.Name, s.Value.Uint64())
	}
}
