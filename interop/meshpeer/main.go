// Command meshpeer is the Go reference peer of the interop tests: a real
// weaveworks/mesh Router configured as NostrP2P configures it (mac peer names, ConnLimit
// 64, no password unless -password-file, ProtocolMinVersion 2, peer discovery on), with gossip channels whose
// Gossiper records what arrives. A test drives it with line commands on stdin and reads
// JSON lines on stdout. See ../README.md for the protocol.
package main

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io/ioutil"
	"log"
	"net"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/weaveworks/mesh"
)

// out serialises JSON lines from the command loop and mesh's goroutines.
type out struct {
	sync.Mutex
	enc *json.Encoder
}

func (o *out) emit(v map[string]interface{}) {
	o.Lock()
	defer o.Unlock()
	if err := o.enc.Encode(v); err != nil {
		os.Exit(3) // stdout is gone: the test harness has died
	}
}

var stdout = &out{enc: json.NewEncoder(os.Stdout)}

// message is GossipData holding whole messages; merging keeps each one, so a broadcast
// merged while a sender is busy still arrives as separate messages.
type message struct {
	parts [][]byte
}

func (m *message) Encode() [][]byte { return m.parts }

func (m *message) Merge(other mesh.GossipData) mesh.GossipData {
	parts := append(append([][]byte{}, m.parts...), other.(*message).parts...)
	return &message{parts}
}

// recorder is one channel's Gossiper: it reports every delivery on stdout, relays
// broadcasts (by returning them), and keeps a set of gossiped items (periodic gossip state).
type recorder struct {
	sync.Mutex
	channel string
	state   map[string][]byte
}

func (r *recorder) report(kind string, src string, data []byte) {
	stdout.emit(map[string]interface{}{"event": "received", "type": kind, "channel": r.channel,
		"src": src, "data": hex.EncodeToString(data)})
}

func (r *recorder) OnGossipUnicast(src mesh.PeerName, msg []byte) error {
	r.report("unicast", src.String(), msg)
	return nil
}

func (r *recorder) OnGossipBroadcast(src mesh.PeerName, update []byte) (mesh.GossipData, error) {
	r.report("broadcast", src.String(), update)
	return &message{[][]byte{update}}, nil
}

func (r *recorder) Gossip() mesh.GossipData {
	r.Lock()
	defer r.Unlock()
	if len(r.state) == 0 {
		return nil
	}
	keys := make([]string, 0, len(r.state))
	for k := range r.state {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := [][]byte{}
	for _, k := range keys {
		parts = append(parts, r.state[k])
	}
	return &message{parts}
}

func (r *recorder) OnGossip(msg []byte) (mesh.GossipData, error) {
	r.Lock()
	_, seen := r.state[string(msg)]
	if !seen {
		r.state[string(msg)] = msg
	}
	r.Unlock()
	if seen {
		return nil, nil
	}
	r.report("gossip", "", msg)
	return &message{[][]byte{msg}}, nil
}

func (r *recorder) add(msg []byte) {
	r.Lock()
	defer r.Unlock()
	r.state[string(msg)] = msg
}

type peer struct {
	router   *mesh.Router
	channels map[string]mesh.Gossip
	gossiper map[string]*recorder
}

func (p *peer) channel(name string) (mesh.Gossip, *recorder, error) {
	if g, ok := p.channels[name]; ok {
		return g, p.gossiper[name], nil
	}
	r := &recorder{channel: name, state: map[string][]byte{}}
	g, err := p.router.NewGossip(name, r)
	if err != nil {
		return nil, nil, err
	}
	p.channels[name] = g
	p.gossiper[name] = r
	return g, r, nil
}

func main() {
	name := flag.String("name", "", "peer name, aa:bb:cc:dd:ee:ff (required)")
	nick := flag.String("nick", "", "nickname")
	listen := flag.String("listen", "127.0.0.1:0", "host:port to listen on")
	channels := flag.String("channels", "test", "gossip channels to register before starting, comma-separated")
	peers := flag.String("peers", "", "initial peers host:port, comma-separated")
	connLimit := flag.Int("conn-limit", 64, "connection limit")
	discovery := flag.Bool("discovery", true, "peer discovery")
	verbose := flag.Bool("v", false, "mesh's log on stderr")
	cluster := flag.Int("cluster", 0, "cluster mode: run this many routers in this process and time their convergence")
	join := flag.String("join", "star", "cluster mode: star, chain or random")
	timeout := flag.Duration("timeout", 120*time.Second, "cluster mode: how long to wait for convergence")
	impl := flag.String("impl", "go-2018", "cluster mode: the impl label of the JSON line")
	seed := flag.String("seed", "", "cluster mode: join an outside overlay at this host:port instead (see mixed.go)")
	expect := flag.Int("expect", 0, "cluster mode with -seed: how many peers the whole overlay holds, these routers included")
	passwordFile := flag.String("password-file", "", "file holding the mesh password (one trailing newline is dropped); none: no password")
	flag.Parse()
	if *cluster > 0 && *seed != "" {
		os.Exit(runMixed(*cluster, *join, *seed, *expect, *timeout, *impl))
	}
	if *cluster > 0 {
		os.Exit(runCluster(*cluster, *join, *timeout, *impl))
	}

	password, err := readPassword(*passwordFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, "meshpeer: -password-file:", err)
		os.Exit(2)
	}

	peerName, err := mesh.PeerNameFromString(*name)
	if err != nil {
		fmt.Fprintln(os.Stderr, "meshpeer: -name:", err)
		os.Exit(2)
	}
	host, portText, err := net.SplitHostPort(*listen)
	if err != nil {
		fmt.Fprintln(os.Stderr, "meshpeer: -listen:", err)
		os.Exit(2)
	}
	port, err := strconv.Atoi(portText)
	if err != nil {
		fmt.Fprintln(os.Stderr, "meshpeer: -listen port:", err)
		os.Exit(2)
	}
	logger := log.New(ioutil.Discard, "", 0)
	if *verbose {
		logger = log.New(os.Stderr, *nick+"> ", log.Lmicroseconds)
	}
	// As ryogrid/nostrp2p cmd/cmd.go configures its router.
	router, err := mesh.NewRouter(mesh.Config{
		Host:               host,
		Port:               port,
		ProtocolMinVersion: mesh.ProtocolMaxVersion,
		Password:           password,
		ConnLimit:          *connLimit,
		PeerDiscovery:      *discovery,
		TrustedSubnets:     []*net.IPNet{},
	}, peerName, *nick, mesh.NullOverlay{}, logger)
	if err != nil {
		fmt.Fprintln(os.Stderr, "meshpeer: cannot create router:", err)
		os.Exit(1)
	}
	p := &peer{router: router, channels: map[string]mesh.Gossip{}, gossiper: map[string]*recorder{}}
	for _, c := range split(*channels) {
		if _, _, err := p.channel(c); err != nil {
			fmt.Fprintln(os.Stderr, "meshpeer: channel", c, err)
			os.Exit(1)
		}
	}
	router.Start()
	router.ConnectionMaker.InitiateConnections(split(*peers), true)
	stdout.emit(map[string]interface{}{"event": "ready", "name": router.Ourself.Name.String(),
		"nickName": router.Ourself.NickName, "uid": strconv.FormatUint(uint64(router.Ourself.UID), 10),
		"port": port})

	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 32<<20)
	for in.Scan() {
		fields := strings.Fields(in.Text())
		if len(fields) == 0 {
			continue
		}
		if fields[0] == "quit" {
			stdout.emit(map[string]interface{}{"event": "ok", "cmd": "quit"})
			os.Exit(0)
		}
		if err := p.command(fields); err != nil {
			stdout.emit(map[string]interface{}{"event": "error", "cmd": fields[0], "error": err.Error()})
		}
	}
	// stdin closed: the harness is gone.
	os.Exit(0)
}

func (p *peer) command(fields []string) error {
	args := fields[1:]
	need := func(n int, usage string) error {
		if len(args) != n {
			return fmt.Errorf("usage: %s %s", fields[0], usage)
		}
		return nil
	}
	ok := func() error {
		stdout.emit(map[string]interface{}{"event": "ok", "cmd": fields[0]})
		return nil
	}
	switch fields[0] {
	case "connect":
		if err := need(1, "host:port"); err != nil {
			return err
		}
		if errs := p.router.ConnectionMaker.InitiateConnections(args, false); len(errs) > 0 {
			return errs[0]
		}
		return ok()
	case "forget":
		if err := need(1, "host:port"); err != nil {
			return err
		}
		p.router.ConnectionMaker.ForgetConnections(args)
		return ok()
	case "broadcast":
		if err := need(2, "channel hex"); err != nil {
			return err
		}
		g, _, data, err := p.channelAndData(args[0], args[1])
		if err != nil {
			return err
		}
		g.GossipBroadcast(&message{[][]byte{data}})
		return ok()
	case "unicast":
		if err := need(3, "channel dst hex"); err != nil {
			return err
		}
		dst, err := mesh.PeerNameFromString(args[1])
		if err != nil {
			return err
		}
		g, _, data, err := p.channelAndData(args[0], args[2])
		if err != nil {
			return err
		}
		if err := g.GossipUnicast(dst, data); err != nil {
			return err
		}
		return ok()
	case "gossip":
		// Adds an item to the channel's gossip state; mesh sends it on its periodic gossip
		// and down every new connection.
		if err := need(2, "channel hex"); err != nil {
			return err
		}
		_, r, data, err := p.channelAndData(args[0], args[1])
		if err != nil {
			return err
		}
		r.add(data)
		return ok()
	case "status":
		stdout.emit(p.status())
		return nil
	}
	return fmt.Errorf("unknown command %q (connect, forget, broadcast, unicast, gossip, status, quit)", fields[0])
}

func (p *peer) channelAndData(channel, hexData string) (mesh.Gossip, *recorder, []byte, error) {
	if hexData == "-" {
		hexData = "" // no bytes
	}
	data, err := hex.DecodeString(hexData)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("bad hex: %v", err)
	}
	g, r, err := p.channel(channel)
	return g, r, data, err
}

// status is mesh.NewStatus with uint64s as strings (JSON numbers lose them) and stable keys.
func (p *peer) status() map[string]interface{} {
	s := mesh.NewStatus(p.router)
	peers := []interface{}{}
	for _, ps := range s.Peers {
		conns := []interface{}{}
		for _, c := range ps.Connections {
			conns = append(conns, map[string]interface{}{"name": c.Name, "nickName": c.NickName,
				"address": c.Address, "outbound": c.Outbound, "established": c.Established})
		}
		peers = append(peers, map[string]interface{}{"name": ps.Name, "nickName": ps.NickName,
			"uid": strconv.FormatUint(uint64(ps.UID), 10), "shortId": ps.ShortID,
			"version": strconv.FormatUint(ps.Version, 10), "connections": conns})
	}
	unicast := []interface{}{}
	for _, r := range s.UnicastRoutes {
		unicast = append(unicast, map[string]interface{}{"dest": r.Dest, "via": r.Via})
	}
	broadcast := []interface{}{}
	for _, r := range s.BroadcastRoutes {
		via := r.Via
		if via == nil {
			via = []string{}
		}
		broadcast = append(broadcast, map[string]interface{}{"source": r.Source, "via": via})
	}
	conns := []interface{}{}
	for _, c := range s.Connections {
		conns = append(conns, map[string]interface{}{"address": c.Address, "outbound": c.Outbound,
			"state": c.State, "info": c.Info})
	}
	targets := s.Targets
	if targets == nil {
		targets = []string{}
	}
	return map[string]interface{}{"event": "status", "name": s.Name, "nickName": s.NickName,
		"uid": strconv.FormatUint(uint64(p.router.Ourself.UID), 10), "peers": peers,
		"unicastRoutes": unicast, "broadcastRoutes": broadcast, "connections": conns, "targets": targets}
}

func split(list string) []string {
	var out []string
	for _, s := range strings.Split(list, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// readPassword reads a mesh password as the Java CLI's --password-file does: the file's
// bytes without one trailing "\n" or "\r\n". No file: nil, a mesh without a password.
func readPassword(path string) ([]byte, error) {
	if path == "" {
		return nil, nil
	}
	data, err := ioutil.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if text := string(data); strings.HasSuffix(text, "\n") {
		data = []byte(strings.TrimSuffix(strings.TrimSuffix(text, "\n"), "\r"))
	}
	if len(data) == 0 {
		return nil, fmt.Errorf("%s is empty", path)
	}
	return data, nil
}
