// The start-up of programs/network, timed: the server forks and execs a child
// (os/exec, as programs/network does) that dials K connections to it one after
// the other, then exits; the server's accept loop spawns a goroutine per
// connection. Prints when the first and the last connection were accepted and
// when cmd.Output returned (the child is gone), in ms from just before the
// fork, as TSV:
// k, first_accept_ms, last_accept_ms, child_done_ms.
// This is what the network mirror scenario's accept schedule is taken from.
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"sync"
	"time"
)

func main() {
	role := flag.String("role", "server", "server|client")
	addr := flag.String("addr", "", "server address (client role)")
	k := flag.Int("k", 1000, "connections")
	flag.Parse()
	if *role == "client" {
		conns := make([]net.Conn, 0, *k)
		for i := 0; i < *k; i++ {
			c, err := net.Dial("tcp", *addr)
			if err != nil {
				panic(err)
			}
			conns = append(conns, c)
		}
		return
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	var mu sync.Mutex
	var first, last time.Time
	n := 0
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			if n == 0 {
				first = time.Now()
			}
			n++
			last = time.Now()
			mu.Unlock()
			go func(c net.Conn) {
				buf := make([]byte, 1)
				c.Read(buf) // parks until the client exits and the connection closes
				c.Close()
			}(c)
		}
	}()
	t0 := time.Now()
	cmd := exec.Command(os.Args[0], "-role=client", "-addr="+ln.Addr().String(), fmt.Sprint("-k=", *k))
	cmd.Stderr = os.Stderr
	if _, err := cmd.Output(); err != nil {
		panic(err)
	}
	done := time.Since(t0)
	// The accept loop may still be emptying the listen backlog when the child is gone.
	for end := time.Now().Add(time.Second); time.Now().Before(end); time.Sleep(time.Millisecond) {
		mu.Lock()
		all := n == *k
		mu.Unlock()
		if all {
			break
		}
	}
	mu.Lock()
	defer mu.Unlock()
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }
	fmt.Printf("%d\t%s\t%s\t%s\n", n, ms(first.Sub(t0)), ms(last.Sub(t0)), ms(done))
}
