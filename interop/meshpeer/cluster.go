package main

// Cluster mode: N mesh routers in this one process on loopback, joined as a star, a chain
// or at random, timed until every router has a unicast route to every other, then one
// broadcast from router 0. Prints progress on stderr and the same JSON line as
// `nostrp2p bench overlay` on stdout, so the two can be compared side by side.

import (
	"fmt"
	"io/ioutil"
	"log"
	"math/rand"
	"net"
	"os"
	"runtime"
	"sync"
	"syscall"
	"time"

	"github.com/weaveworks/mesh"
)

// arrivals records when the benchmark broadcast reached each router.
type arrivals struct {
	sync.Mutex
	at map[int]time.Time
	// onArrival, when set, is called (under the lock) on each router's first arrival
	onArrival func(index int, at time.Time)
}

// benchGossiper is the cluster's one channel: it notes the first arrival of a broadcast.
type benchGossiper struct {
	index int
	seen  *arrivals
}

func (g *benchGossiper) OnGossipUnicast(mesh.PeerName, []byte) error { return nil }
func (g *benchGossiper) Gossip() mesh.GossipData                     { return nil }
func (g *benchGossiper) OnGossip([]byte) (mesh.GossipData, error)    { return nil, nil }
func (g *benchGossiper) OnGossipBroadcast(_ mesh.PeerName, update []byte) (mesh.GossipData, error) {
	g.seen.Lock()
	if _, ok := g.seen.at[g.index]; !ok {
		now := time.Now()
		g.seen.at[g.index] = now
		if g.seen.onArrival != nil {
			g.seen.onArrival(g.index, now)
		}
	}
	g.seen.Unlock()
	return &message{[][]byte{update}}, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func cpuMillis() int64 {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return (u.Utime.Nano() + u.Stime.Nano()) / 1e6
}

// newClusterRouter makes cluster router i (name 0f:00:00:00:00:i, nickname gi) listening on a
// free loopback port, with the bench channel, configured as NostrP2P configures mesh; not started.
func newClusterRouter(i int, logger *log.Logger, seen *arrivals) (*mesh.Router, mesh.Gossip, int, error) {
	port, err := freePort()
	if err != nil {
		return nil, nil, 0, fmt.Errorf("no free port: %v", err)
	}
	router, err := mesh.NewRouter(mesh.Config{
		Host: "127.0.0.1", Port: port, ProtocolMinVersion: mesh.ProtocolMaxVersion,
		ConnLimit: 64, PeerDiscovery: true, TrustedSubnets: []*net.IPNet{},
	}, mesh.PeerName(0x0f0000000000+uint64(i)), fmt.Sprintf("g%d", i), mesh.NullOverlay{}, logger)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("cannot create router: %v", err)
	}
	g, err := router.NewGossip("bench", &benchGossiper{index: i, seen: seen})
	if err != nil {
		return nil, nil, 0, fmt.Errorf("channel: %v", err)
	}
	return router, g, port, nil
}

func runCluster(n int, join string, timeout time.Duration, impl string) int {
	if n < 2 || (join != "star" && join != "chain" && join != "random") {
		fmt.Fprintln(os.Stderr, "meshpeer: -cluster needs at least 2 and -join star, chain or random")
		return 2
	}
	logger := log.New(ioutil.Discard, "", 0)
	random := rand.New(rand.NewSource(42))
	seen := &arrivals{at: map[int]time.Time{}}
	routers := make([]*mesh.Router, 0, n)
	ports := make([]int, 0, n)
	var gossip0 mesh.Gossip
	cpuStart := cpuMillis()
	start := time.Now()
	for i := 0; i < n; i++ {
		router, g, port, err := newClusterRouter(i, logger, seen)
		if err != nil {
			fmt.Fprintln(os.Stderr, "meshpeer:", err)
			return 1
		}
		if i == 0 {
			gossip0 = g
		}
		router.Start()
		defer router.Stop()
		if i > 0 {
			seed := 0
			switch join {
			case "chain":
				seed = i - 1
			case "random":
				seed = random.Intn(i)
			}
			router.ConnectionMaker.InitiateConnections([]string{fmt.Sprintf("127.0.0.1:%d", ports[seed])}, false)
		}
		routers = append(routers, router)
		ports = append(ports, port)
	}
	convergeMs := int64(-1)
	nextReport := time.Now().Add(time.Second)
	for {
		least := n
		for _, a := range routers {
			reached := 0
			for _, b := range routers {
				if a != b {
					if _, ok := a.Routes.Unicast(b.Ourself.Name); ok {
						reached++
					}
				}
			}
			if reached < least {
				least = reached
			}
		}
		if least == n-1 {
			convergeMs = time.Since(start).Milliseconds()
			break
		}
		if time.Since(start) > timeout {
			fmt.Fprintf(os.Stderr, "no convergence in %v (least routes %d of %d)\n", timeout, least, n-1)
			break
		}
		if time.Now().After(nextReport) {
			fmt.Fprintf(os.Stderr, "%5.1f s: every router reaches at least %d of %d peers\n",
				time.Since(start).Seconds(), least, n-1)
			nextReport = time.Now().Add(time.Second)
		}
		time.Sleep(20 * time.Millisecond)
	}
	cpu := cpuMillis() - cpuStart
	connections := 0
	for _, r := range routers {
		for _, c := range mesh.NewStatus(r).Connections {
			if c.State == "established" {
				connections++
			}
		}
	}
	bcastMs, delivered := int64(-1), 0
	if convergeMs >= 0 {
		sent := time.Now()
		gossip0.GossipBroadcast(&message{[][]byte{[]byte("bench")}})
		for time.Since(sent) < 10*time.Second {
			seen.Lock()
			delivered = len(seen.at)
			seen.Unlock()
			if delivered >= n-1 {
				break
			}
			time.Sleep(time.Millisecond)
		}
		seen.Lock()
		var last time.Time
		for _, t := range seen.at {
			if t.After(last) {
				last = t
			}
		}
		delivered = len(seen.at)
		seen.Unlock()
		if delivered > 0 {
			bcastMs = last.Sub(sent).Milliseconds()
		}
	}
	runtime.GC()
	var mem runtime.MemStats
	runtime.ReadMemStats(&mem)
	fmt.Printf("{\"impl\":%q,\"n\":%d,\"join\":%q,\"converge_ms\":%d,\"bcast_ms\":%d,\"bcast_delivered\":%d,"+
		"\"avg_conns_per_peer\":%.1f,\"cpu_ms\":%d,\"heap_mb\":%d}\n", impl, n, join, convergeMs, bcastMs, delivered,
		float64(connections)/float64(n), cpu, mem.HeapAlloc/(1<<20))
	if convergeMs < 0 || delivered < n-1 {
		return 1
	}
	return 0
}
