// Command np2ppeer is a Go NostrP2P peer for the interop tests of the Java server: a real
// weaveworks/mesh Router configured as ryogrid/nostrp2p configures it, on gossip channel
// "nostrp2p", whose packets are the Go server's own types encoded and decoded with
// github.com/vmihailenco/msgpack/v5, as the Go server does.
//
// A test drives it with line commands on stdin and reads JSON lines on stdout:
//
//	broadcast <packet JSON>        msgpack-encode the packet in Go, GossipBroadcast it
//	unicast <dst> <packet JSON>    msgpack-encode the packet in Go, GossipUnicast it to dst
//	status                         {"event":"status","routes":<number of unicast routes>}
//	quit
//
// A packet JSON is {"srvVer":1,"pktVer":3,"events":[<event>...]|null,"reqs":[<req>...]|null};
// an event {"id":hex,"pubkey":hex,"created_at":n,"kind":n,"tags":[[str...]...],"content":str,
// "sig":hex|null}; a request {"id":"<decimal uint64>","kind":n,"evtId":hex (optional)}.
//
// Every packet that arrives is decoded into the Go types and reported as
// {"event":"received","type":"broadcast"|"unicast","src":name,"ok":bool,"error":str,
// "packet":<packet JSON>,"eventsNil":bool,"reqsNil":bool,"wouldCrashGoServer":reason|""}.
// "wouldCrashGoServer" names what in the packet makes ryogrid/nostrp2p (7c0ec59) panic.
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
	"strconv"
	"strings"
	"sync"

	"github.com/vmihailenco/msgpack/v5"
	"github.com/weaveworks/mesh"
)

// The Go server's types (ryogrid/nostrp2p schema/*.go), field for field.
type TagElem []byte

type Np2pEvent struct {
	Id         [32]byte
	Pubkey     [32]byte
	Created_at float64
	Kind       uint16
	Tags       [][]TagElem
	Content    string
	Sig        *[64]byte
}

type Np2pReq struct {
	Id   uint64
	Kind uint16
	Args map[string][]interface{}
}

type Np2pPacket struct {
	SrvVer uint16
	PktVer uint16
	Events []*Np2pEvent
	Reqs   []*Np2pReq
}

// JSON forms of the packets, for the test.
type jsonEvent struct {
	Id        string     `json:"id"`
	Pubkey    string     `json:"pubkey"`
	CreatedAt float64    `json:"created_at"`
	Kind      uint16     `json:"kind"`
	Tags      [][]string `json:"tags"`
	Content   string     `json:"content"`
	Sig       *string    `json:"sig"`
}

type jsonReq struct {
	Id    string              `json:"id"`
	Kind  uint16              `json:"kind"`
	EvtId string              `json:"evtId,omitempty"`
	Args  map[string][]string `json:"args,omitempty"`
}

type jsonPacket struct {
	SrvVer uint16      `json:"srvVer"`
	PktVer uint16      `json:"pktVer"`
	Events []jsonEvent `json:"events"`
	Reqs   []jsonReq   `json:"reqs"`
}

type out struct {
	sync.Mutex
	enc *json.Encoder
}

func (o *out) emit(v map[string]interface{}) {
	o.Lock()
	defer o.Unlock()
	if err := o.enc.Encode(v); err != nil {
		os.Exit(3)
	}
}

var stdout = &out{enc: json.NewEncoder(os.Stdout)}

type message struct{ parts [][]byte }

func (m *message) Encode() [][]byte { return m.parts }
func (m *message) Merge(other mesh.GossipData) mesh.GossipData {
	return &message{append(append([][]byte{}, m.parts...), other.(*message).parts...)}
}

type gossiper struct{}

func (gossiper) Gossip() mesh.GossipData                      { return nil }
func (gossiper) OnGossip(msg []byte) (mesh.GossipData, error) { return nil, nil }

func (gossiper) OnGossipUnicast(src mesh.PeerName, msg []byte) error {
	report("unicast", src, msg)
	return nil
}

func (gossiper) OnGossipBroadcast(src mesh.PeerName, update []byte) (mesh.GossipData, error) {
	report("broadcast", src, update)
	return &message{[][]byte{update}}, nil
}

func report(kind string, src mesh.PeerName, data []byte) {
	var pkt Np2pPacket
	ev := map[string]interface{}{"event": "received", "type": kind, "src": src.String(), "bytes": len(data)}
	if err := msgpack.Unmarshal(data, &pkt); err != nil {
		ev["ok"] = false
		ev["error"] = err.Error()
		// The Go server answers a broadcast it cannot decode with an empty packet (no crash);
		// a unicast it cannot decode makes mesh close the connection.
		stdout.emit(ev)
		return
	}
	ev["ok"] = true
	ev["eventsNil"] = pkt.Events == nil
	ev["reqsNil"] = pkt.Reqs == nil
	ev["packet"] = toJSON(&pkt)
	ev["wouldCrashGoServer"] = wouldCrash(kind, &pkt)
	stdout.emit(ev)
}

// wouldCrash says what in a packet makes ryogrid/nostrp2p at 7c0ec59 panic.
func wouldCrash(kind string, pkt *Np2pPacket) string {
	if kind == "broadcast" && pkt.PktVer != 3 {
		return "a broadcast with PktVer other than 3 (OnGossipBroadcast returns a nil interface)"
	}
	if kind == "unicast" {
		if pkt.PktVer != 3 {
			return ""
		}
		if len(pkt.Events) > 0 {
			for _, e := range pkt.Events {
				if e == nil {
					return "a nil event"
				}
			}
			return ""
		}
		if pkt.Reqs != nil {
			if len(pkt.Reqs) == 0 {
				return "a unicast with an empty Reqs list (Reqs[0])"
			}
			if pkt.Reqs[0] == nil {
				return "a nil request"
			}
			if pkt.Reqs[0].Kind == 1 && len(pkt.Reqs[0].Args["evtId"]) == 0 {
				return "a post request without Args[\"evtId\"][0]"
			}
		}
	}
	return ""
}

func toJSON(pkt *Np2pPacket) map[string]interface{} {
	events := []interface{}{}
	for _, e := range pkt.Events {
		if e == nil {
			events = append(events, nil)
			continue
		}
		tags := [][]string{}
		for _, t := range e.Tags {
			tag := []string{}
			for _, el := range t {
				tag = append(tag, string(el))
			}
			tags = append(tags, tag)
		}
		var sig interface{}
		if e.Sig != nil {
			sig = hex.EncodeToString(e.Sig[:])
		}
		events = append(events, map[string]interface{}{"id": hex.EncodeToString(e.Id[:]), "pubkey": hex.EncodeToString(e.Pubkey[:]),
			"created_at": e.Created_at, "kind": e.Kind, "tags": tags, "content": e.Content, "sig": sig})
	}
	reqs := []interface{}{}
	for _, r := range pkt.Reqs {
		if r == nil {
			reqs = append(reqs, nil)
			continue
		}
		args := map[string]interface{}{}
		for k, vs := range r.Args {
			values := []interface{}{}
			for _, v := range vs {
				switch x := v.(type) {
				case []byte:
					values = append(values, map[string]interface{}{"bin": hex.EncodeToString(x)})
				default:
					values = append(values, x)
				}
			}
			args[k] = values
		}
		reqs = append(reqs, map[string]interface{}{"id": strconv.FormatUint(r.Id, 10), "kind": r.Kind, "args": args, "argsNil": r.Args == nil})
	}
	return map[string]interface{}{"srvVer": pkt.SrvVer, "pktVer": pkt.PktVer, "events": events, "reqs": reqs}
}

func fromJSON(text string) (*Np2pPacket, error) {
	var in jsonPacket
	if err := json.Unmarshal([]byte(text), &in); err != nil {
		return nil, err
	}
	pkt := &Np2pPacket{SrvVer: in.SrvVer, PktVer: in.PktVer}
	if in.Events != nil {
		pkt.Events = []*Np2pEvent{}
		for _, e := range in.Events {
			ev := &Np2pEvent{Created_at: e.CreatedAt, Kind: e.Kind, Content: e.Content, Tags: [][]TagElem{}}
			if err := fill(ev.Id[:], e.Id); err != nil {
				return nil, fmt.Errorf("id: %v", err)
			}
			if err := fill(ev.Pubkey[:], e.Pubkey); err != nil {
				return nil, fmt.Errorf("pubkey: %v", err)
			}
			if e.Sig != nil {
				var sig [64]byte
				if err := fill(sig[:], *e.Sig); err != nil {
					return nil, fmt.Errorf("sig: %v", err)
				}
				ev.Sig = &sig
			}
			for _, t := range e.Tags {
				tag := []TagElem{}
				for _, s := range t {
					tag = append(tag, TagElem(s))
				}
				ev.Tags = append(ev.Tags, tag)
			}
			pkt.Events = append(pkt.Events, ev)
		}
	}
	if in.Reqs != nil {
		pkt.Reqs = []*Np2pReq{}
		for _, r := range in.Reqs {
			id, err := strconv.ParseUint(r.Id, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("req id: %v", err)
			}
			req := &Np2pReq{Id: id, Kind: r.Kind}
			if r.EvtId != "" {
				// As the Go server's UnicastPostReq: a [32]byte in the interface slice.
				var evtId [32]byte
				if err := fill(evtId[:], r.EvtId); err != nil {
					return nil, fmt.Errorf("evtId: %v", err)
				}
				req.Args = map[string][]interface{}{"evtId": {evtId}}
			}
			pkt.Reqs = append(pkt.Reqs, req)
		}
	}
	return pkt, nil
}

func fill(dst []byte, hexText string) error {
	b, err := hex.DecodeString(hexText)
	if err != nil {
		return err
	}
	if len(b) != len(dst) {
		return fmt.Errorf("want %d bytes, got %d", len(dst), len(b))
	}
	copy(dst, b)
	return nil
}

func main() {
	name := flag.String("name", "", "peer name, aa:bb:cc:dd:ee:ff (required)")
	listen := flag.String("listen", "127.0.0.1:0", "host:port to listen on")
	peers := flag.String("peers", "", "initial peers host:port, comma-separated")
	flag.Parse()

	peerName, err := mesh.PeerNameFromString(*name)
	if err != nil {
		fmt.Fprintln(os.Stderr, "np2ppeer: -name:", err)
		os.Exit(2)
	}
	host, portText, err := net.SplitHostPort(*listen)
	if err != nil {
		fmt.Fprintln(os.Stderr, "np2ppeer: -listen:", err)
		os.Exit(2)
	}
	port, _ := strconv.Atoi(portText)
	router, err := mesh.NewRouter(mesh.Config{
		Host:               host,
		Port:               port,
		ProtocolMinVersion: mesh.ProtocolMaxVersion,
		Password:           nil,
		ConnLimit:          64,
		PeerDiscovery:      true,
		TrustedSubnets:     []*net.IPNet{},
	}, peerName, "", mesh.NullOverlay{}, log.New(ioutil.Discard, "", 0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "np2ppeer: cannot create router:", err)
		os.Exit(1)
	}
	gossip, err := router.NewGossip("nostrp2p", gossiper{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "np2ppeer: channel:", err)
		os.Exit(1)
	}
	router.Start()
	var initial []string
	for _, p := range strings.Split(*peers, ",") {
		if p = strings.TrimSpace(p); p != "" {
			initial = append(initial, p)
		}
	}
	router.ConnectionMaker.InitiateConnections(initial, true)
	stdout.emit(map[string]interface{}{"event": "ready", "name": router.Ourself.Name.String()})

	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 32<<20)
	for in.Scan() {
		line := strings.TrimSpace(in.Text())
		if line == "" {
			continue
		}
		cmd, rest := line, ""
		if i := strings.IndexByte(line, ' '); i > 0 {
			cmd, rest = line[:i], strings.TrimSpace(line[i+1:])
		}
		switch cmd {
		case "quit":
			stdout.emit(map[string]interface{}{"event": "ok", "cmd": "quit"})
			router.Stop()
			os.Exit(0)
		case "status":
			stdout.emit(map[string]interface{}{"event": "status", "routes": len(mesh.NewStatus(router).UnicastRoutes)})
		case "broadcast", "unicast":
			var dst mesh.PeerName
			if cmd == "unicast" {
				i := strings.IndexByte(rest, ' ')
				if i <= 0 {
					stdout.emit(map[string]interface{}{"event": "error", "cmd": cmd, "error": "usage: unicast <dst> <packet JSON>"})
					continue
				}
				if dst, err = mesh.PeerNameFromString(rest[:i]); err != nil {
					stdout.emit(map[string]interface{}{"event": "error", "cmd": cmd, "error": err.Error()})
					continue
				}
				rest = rest[i+1:]
			}
			pkt, err := fromJSON(rest)
			if err != nil {
				stdout.emit(map[string]interface{}{"event": "error", "cmd": cmd, "error": err.Error()})
				continue
			}
			data, err := msgpack.Marshal(pkt)
			if err != nil {
				stdout.emit(map[string]interface{}{"event": "error", "cmd": cmd, "error": err.Error()})
				continue
			}
			if cmd == "broadcast" {
				gossip.GossipBroadcast(&message{[][]byte{data}})
			} else if err := gossip.GossipUnicast(dst, data); err != nil {
				stdout.emit(map[string]interface{}{"event": "error", "cmd": cmd, "error": err.Error()})
				continue
			}
			stdout.emit(map[string]interface{}{"event": "ok", "cmd": cmd, "hex": hex.EncodeToString(data)})
		default:
			stdout.emit(map[string]interface{}{"event": "error", "cmd": cmd, "error": "unknown command (broadcast, unicast, status, quit)"})
		}
	}
	os.Exit(0)
}
