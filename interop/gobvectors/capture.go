package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"encoding/hex"
	"fmt"
	"io"
	"io/ioutil"
	"log"
	"net"
	"os"
	"time"

	"github.com/weaveworks/mesh"

	meshwire "../meshwire"
)

// Frames captured off the wire between two real mesh routers: B dials a proxy that
// forwards to A and records every frame body (after the 8-byte V2 header and flag). These
// bytes are mesh's own, written by its own code paths, including the unexported gobEncode.

type frame struct {
	fromB bool
	body  []byte
}

// relay copies one direction: the 7-byte "weave" header and the encryption flag as they
// are, then length-prefixed frames, reporting each frame's body.
func relay(dst, src net.Conn, fromB bool, frames chan<- frame) {
	r := bufio.NewReader(src)
	// Each side waits for the other's header before writing its flag: forward them apart.
	for _, size := range []int{7, 1} {
		head := make([]byte, size)
		if _, err := io.ReadFull(r, head); err != nil {
			return
		}
		if _, err := dst.Write(head); err != nil {
			return
		}
	}
	for {
		prefix := make([]byte, 4)
		if _, err := io.ReadFull(r, prefix); err != nil {
			return
		}
		body := make([]byte, binary.BigEndian.Uint32(prefix))
		if _, err := io.ReadFull(r, body); err != nil {
			return
		}
		if _, err := dst.Write(append(prefix, body...)); err != nil {
			return
		}
		frames <- frame{fromB, body}
	}
}

type relayingGossiper struct{}

func (relayingGossiper) OnGossipUnicast(mesh.PeerName, []byte) error { return nil }
func (relayingGossiper) OnGossipBroadcast(_ mesh.PeerName, update []byte) (mesh.GossipData, error) {
	return &bytesData{update}, nil
}
func (relayingGossiper) Gossip() mesh.GossipData                  { return nil }
func (relayingGossiper) OnGossip([]byte) (mesh.GossipData, error) { return nil, nil }

type bytesData struct{ b []byte }

func (d *bytesData) Encode() [][]byte                        { return [][]byte{d.b} }
func (d *bytesData) Merge(o mesh.GossipData) mesh.GossipData { return o }

func freePort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func captureRouter(n string, port int) (*mesh.Router, mesh.Gossip) {
	r, err := mesh.NewRouter(mesh.Config{Host: "127.0.0.1", Port: port, ConnLimit: 64, ProtocolMinVersion: 2,
		PeerDiscovery: false}, name(n), "capture-"+n[len(n)-2:], nil, log.New(ioutil.Discard, "", 0))
	if err != nil {
		panic(err)
	}
	g, err := r.NewGossip("test", relayingGossiper{})
	if err != nil {
		panic(err)
	}
	r.Start()
	return r, g
}

// decodeFrame reads a tag 4/5/6 payload as router.go handleGossip does.
func decodeFrame(tag byte, payload []byte) (channel string, src, dst mesh.PeerName, data []byte, err error) {
	dec := gob.NewDecoder(bytes.NewReader(payload))
	if err = dec.Decode(&channel); err != nil {
		return
	}
	if err = dec.Decode(&src); err != nil {
		return
	}
	if tag == 5 {
		if err = dec.Decode(&dst); err != nil {
			return
		}
	}
	err = dec.Decode(&data)
	return
}

func wireCapture() []vector {
	aName, bName := "02:00:00:00:00:c1", "02:00:00:00:00:c2"
	a, aGossip := captureRouter(aName, freePort())
	b, bGossip := captureRouter(bName, freePort())

	frames := make(chan frame, 1024)
	proxy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	go func() {
		fromB, err := proxy.Accept()
		if err != nil {
			return
		}
		toA, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", a.Port))
		if err != nil {
			panic(err)
		}
		go relay(toA, fromB, true, frames)
		go relay(fromB, toA, false, frames)
	}()
	b.ConnectionMaker.InitiateConnections([]string{proxy.Addr().String()}, false)

	var vs []vector
	seenFeatures := false
	var broadcast, unicast, topology []byte
	sent := false
	deadline := time.After(20 * time.Second)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	first := map[bool]bool{}
	for broadcast == nil || unicast == nil || topology == nil || !seenFeatures {
		select {
		case f := <-frames:
			if !first[f.fromB] {
				first[f.fromB] = true
				if f.fromB {
					vs = append(vs, captured("capture-features", "features", f.body, true))
					seenFeatures = true
				}
				continue
			}
			if len(f.body) == 0 {
				continue
			}
			tag, payload := f.body[0], f.body[1:]
			if tag < 4 || tag > 6 {
				continue
			}
			channel, _, _, data, err := decodeFrame(tag, payload)
			if err != nil {
				fmt.Fprintln(os.Stderr, "gobvectors: mesh sent a frame gob cannot read:", err)
				os.Exit(1)
			}
			switch {
			case channel == "test" && tag == 6 && broadcast == nil:
				broadcast = payload
			case channel == "test" && tag == 5 && unicast == nil:
				unicast = payload
			case channel == "topology" && topology == nil && !f.fromB && len(data) > 0:
				topology = payload
			}
		case <-tick.C:
			if !sent && len(a.Routes.PeerNames()) == 2 && len(b.Routes.PeerNames()) == 2 {
				if _, ok := b.Routes.Unicast(name(aName)); ok {
					aGossip.GossipBroadcast(&bytesData{[]byte("broadcast from a, captured")})
					if err := bGossip.GossipUnicast(name(aName), []byte("unicast from b, captured")); err != nil {
						panic(err)
					}
					sent = true
				}
			}
		case <-deadline:
			fmt.Fprintf(os.Stderr, "gobvectors: between two mesh routers in 20 s, captured features %v, broadcast %v, unicast %v, topology %v; sent %v; routes %v / %v\n",
				seenFeatures, broadcast != nil, unicast != nil, topology != nil, sent, a.Routes.PeerNames(), b.Routes.PeerNames())
			os.Exit(1)
		}
	}
	vs = append(vs,
		captured("capture-broadcast", "gossip", broadcast, false),
		captured("capture-unicast", "unicast", unicast, false),
		captured("capture-topology-frame", "gossip", topology, false))
	_, _, _, inner, _ := decodeFrame(4, topology)
	vs = append(vs, captured("capture-topology", "topology", inner, true))
	return vs
}

// captured describes bytes mesh wrote, decoded with gob as mesh reads them.
func captured(vectorName, kind string, payload []byte, decodeOnly bool) vector {
	v := vector{Name: vectorName, Kind: kind, Hex: hex.EncodeToString(payload), DecodeOnly: decodeOnly, Random: true}
	switch kind {
	case "features":
		var m map[string]string
		if err := gob.NewDecoder(bytes.NewReader(payload)).Decode(&m); err != nil {
			panic(err)
		}
		v.Features = m
	case "gossip", "unicast":
		var tag byte = 4
		if kind == "unicast" {
			tag = 5
		}
		channel, src, dst, data, err := decodeFrame(tag, payload)
		if err != nil {
			panic(err)
		}
		d := hex.EncodeToString(data)
		v.Channel, v.Source, v.Data = channel, src.String(), &d
		if kind == "unicast" {
			v.Destination = dst.String()
		}
	case "topology":
		peers, err := meshwire.DecodeTopology(payload)
		if err != nil {
			panic(err)
		}
		v.Updates = describe(peers)
	}
	return v
}
