package main

// Mixed mode (-cluster K -seed host:port -expect M): K mesh routers in this process join an
// overlay run by someone else (`nostrp2p bench overlay --go-peers K`): as a star every router
// dials the seed; as a chain router 0 dials the seed and router i dials i-1; at random router i
// dials the seed or a random earlier router. The driver reads JSON lines on stdout:
//
//	{"event":"converged","impl":..,"ms":..,"cpu_ms":..,"avg_conns_per_peer":..,"connection_states":{..},"last_error":..}
//	    once every router here has a unicast route to M-1 peers (ms since this process started);
//	    connection_states counts the connection makers' entries by state, last_error is one
//	    failed target's info
//	{"event":"timeout","least":..,"of":..}
//	    when that did not happen within -timeout
//	{"event":"delivered","router":i,"at_unix_us":..}
//	    when router i first receives a broadcast on the bench channel (wall clock, microseconds)
//
// Progress goes to stderr. The routers run until stdin closes.

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io/ioutil"
	"log"
	"math/rand"
	"os"
	"time"

	"github.com/weaveworks/mesh"
)

// reachable counts the peers router r has a unicast route to (itself excluded).
func reachable(r *mesh.Router) int {
	reached := 0
	for name := range r.Routes.PeerNames() {
		if name == r.Ourself.Name {
			continue
		}
		if _, ok := r.Routes.Unicast(name); ok {
			reached++
		}
	}
	return reached
}

func runMixed(k int, join, seed string, expect int, timeout time.Duration, impl string) int {
	if k < 1 || expect <= k || (join != "star" && join != "chain" && join != "random") {
		fmt.Fprintln(os.Stderr, "meshpeer: -seed needs -cluster 1 or more, -expect above it and -join star, chain or random")
		return 2
	}
	logger := log.New(ioutil.Discard, "", 0)
	random := rand.New(rand.NewSource(42))
	seen := &arrivals{at: map[int]time.Time{}}
	seen.onArrival = func(index int, at time.Time) {
		fmt.Printf("{\"event\":\"delivered\",\"router\":%d,\"at_unix_us\":%d}\n", index, at.UnixNano()/1000)
	}
	routers := make([]*mesh.Router, 0, k)
	addresses := make([]string, 0, k)
	cpuStart := cpuMillis()
	start := time.Now()
	for i := 0; i < k; i++ {
		router, _, port, err := newClusterRouter(i, logger, seen)
		if err != nil {
			fmt.Fprintln(os.Stderr, "meshpeer:", err)
			return 1
		}
		router.Start()
		defer router.Stop()
		target := seed
		switch {
		case join == "chain" && i > 0:
			target = addresses[i-1]
		case join == "random":
			if pick := random.Intn(i + 1); pick < i {
				target = addresses[pick]
			}
		}
		router.ConnectionMaker.InitiateConnections([]string{target}, false)
		routers = append(routers, router)
		addresses = append(addresses, fmt.Sprintf("127.0.0.1:%d", port))
	}
	nextReport := time.Now().Add(time.Second)
	for {
		least := expect
		for _, r := range routers {
			if reached := reachable(r); reached < least {
				least = reached
			}
		}
		if least >= expect-1 {
			connections := 0
			// what the connection makers hold besides established links: targets waiting to
			// retry after a failure (e.g. a Java peer at its degree closing optional links)
			states := map[string]int{}
			lastError := ""
			for _, r := range routers {
				for _, c := range mesh.NewStatus(r).Connections {
					states[c.State]++
					if c.State == "established" {
						connections++
					} else if c.Info != "" && c.State != "pending" {
						lastError = c.Info
					}
				}
			}
			statesJSON, _ := json.Marshal(states)
			seen.Lock()
			fmt.Printf("{\"event\":\"converged\",\"impl\":%q,\"ms\":%d,\"cpu_ms\":%d,\"avg_conns_per_peer\":%.1f,"+
				"\"connection_states\":%s,\"last_error\":%q}\n", impl, time.Since(start).Milliseconds(),
				cpuMillis()-cpuStart, float64(connections)/float64(k), statesJSON, lastError)
			seen.Unlock()
			break
		}
		if time.Since(start) > timeout {
			fmt.Printf("{\"event\":\"timeout\",\"least\":%d,\"of\":%d}\n", least, expect-1)
			break
		}
		if time.Now().After(nextReport) {
			fmt.Fprintf(os.Stderr, "%5.1f s: each of %d %s routers reaches at least %d of %d peers\n",
				time.Since(start).Seconds(), k, impl, least, expect-1)
			nextReport = time.Now().Add(time.Second)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// keep relaying until the driver is done with us
	in := bufio.NewReader(os.Stdin)
	for {
		if _, err := in.ReadString('\n'); err != nil {
			return 0
		}
	}
}
