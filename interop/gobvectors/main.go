// Command gobvectors prints golden gob bytes, written by Go's encoding/gob exactly as
// weaveworks/mesh writes them, as one JSON document on stdout: features maps, gossip
// (tag 4/6) and unicast (tag 5) payloads, and topology messages, for chosen values and as
// captured off the wire between two real mesh routers (capture.go). It exits non-zero when its
// mirror of mesh's unexported topology types does not encode byte for byte like a real
// mesh.Router (see meshwire).
package main

import (
	"bytes"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/ioutil"
	"log"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/weaveworks/mesh"

	meshwire "../meshwire"
)

type vector struct {
	Name        string            `json:"name"`
	Kind        string            `json:"kind"`
	Hex         string            `json:"hex"`
	Features    map[string]string `json:"features,omitempty"`
	Channel     string            `json:"channel,omitempty"`
	Source      string            `json:"source,omitempty"`
	Destination string            `json:"destination,omitempty"`
	Data        *string           `json:"data,omitempty"`
	Updates     []update          `json:"updates,omitempty"`
	// DecodeOnly marks bytes no mesh version writes (e.g. a future peerSummary with more
	// fields): a decoder must read them, an encoder need not produce them.
	DecodeOnly bool `json:"decodeOnly,omitempty"`
	// Random marks values that differ from run to run (a real router's UID and ports).
	Random bool `json:"random,omitempty"`
}

type update struct {
	Peer        peer         `json:"peer"`
	Connections []connection `json:"connections"`
}

type peer struct {
	Name       string `json:"name"`
	NickName   string `json:"nickName"`
	UID        string `json:"uid"`
	Version    string `json:"version"`
	ShortID    uint16 `json:"shortId"`
	HasShortID bool   `json:"hasShortId"`
}

type connection struct {
	Name          string `json:"name"`
	RemoteTCPAddr string `json:"remoteTcpAddr"`
	Outbound      bool   `json:"outbound"`
	Established   bool   `json:"established"`
}

func name(s string) mesh.PeerName {
	n, err := mesh.PeerNameFromString(s)
	if err != nil {
		panic(err)
	}
	return n
}

func nameBytes(s string) []byte {
	n := uint64(name(s))
	return []byte{byte(n >> 40), byte(n >> 32), byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}
}

func nameText(b []byte) string {
	if len(b) != 6 {
		return "bad:" + hex.EncodeToString(b)
	}
	return mesh.PeerNameFromBin(b).String()
}

func features(vectorName string, m map[string]string) vector {
	buf := new(bytes.Buffer)
	// protocol.go encodes &params.Features.
	if err := gob.NewEncoder(buf).Encode(&m); err != nil {
		panic(err)
	}
	return vector{Name: vectorName, Kind: "features", Hex: hex.EncodeToString(buf.Bytes()), Features: m}
}

func gossip(vectorName, channel, src string, data []byte) vector {
	d := hex.EncodeToString(data)
	return vector{Name: vectorName, Kind: "gossip", Channel: channel, Source: src, Data: &d,
		Hex: hex.EncodeToString(meshwire.GobEncode(channel, name(src), data))}
}

func unicast(vectorName, channel, src, dst string, data []byte) vector {
	d := hex.EncodeToString(data)
	return vector{Name: vectorName, Kind: "unicast", Channel: channel, Source: src, Destination: dst, Data: &d,
		Hex: hex.EncodeToString(meshwire.GobEncode(channel, name(src), name(dst), data))}
}

func describe(peers []meshwire.Peer) []update {
	out := []update{}
	for _, p := range peers {
		u := update{Peer: peer{nameText(p.NameByte), p.NickName, strconv.FormatUint(p.UID, 10),
			strconv.FormatUint(p.Version, 10), p.ShortID, p.HasShortID}, Connections: []connection{}}
		for _, c := range p.Connections {
			u.Connections = append(u.Connections, connection{nameText(c.NameByte), c.RemoteTCPAddr, c.Outbound, c.Established})
		}
		out = append(out, u)
	}
	return out
}

func topology(vectorName string, peers []meshwire.Peer) vector {
	return vector{Name: vectorName, Kind: "topology", Hex: hex.EncodeToString(meshwire.EncodeTopology(peers)), Updates: describe(peers)}
}

// realRouterTopology returns what a real mesh.Router gossips about itself on "topology".
func realRouterTopology() []byte {
	logger := log.New(ioutil.Discard, "", 0)
	router, err := mesh.NewRouter(mesh.Config{Host: "127.0.0.1", Port: 0, ConnLimit: 64, ProtocolMinVersion: 2},
		name("02:00:00:00:00:01"), "real-router", nil, logger)
	if err != nil {
		panic(err)
	}
	encoded := router.Gossip().Encode()
	if len(encoded) != 1 {
		panic(fmt.Sprint("expected one topology message, got ", len(encoded)))
	}
	return encoded[0]
}

// Gob type ids are per process, in the order types are first encoded. Each group of
// vectors runs in a fresh child process (this program with -group), so its ids are those
// of a process that encodes that kind of value first (65 and up), as a Java encoder does.
func main() {
	if len(os.Args) == 3 && os.Args[1] == "-group" {
		out, err := json.Marshal(group(os.Args[2]))
		if err != nil {
			panic(err)
		}
		os.Stdout.Write(out)
		return
	}
	var vs []vector
	for _, g := range []string{"features", "gossip", "topology", "topology-evolved", "real-routers-connected", "wire-capture", "real-router"} {
		vs = append(vs, runGroup(g)...)
	}
	// The mirror must write exactly what a real mesh.Router writes about itself.
	real := vs[len(vs)-1]
	mirror := runGroup("mirror:" + real.Hex)
	if len(mirror) != 1 || mirror[0].Hex != real.Hex {
		fmt.Fprintf(os.Stderr, "gobvectors: the mirror's bytes differ from mesh's:\nmesh   %s\nmirror %+v\n", real.Hex, mirror)
		os.Exit(1)
	}
	out, err := json.MarshalIndent(map[string]interface{}{"generator": "interop/gobvectors", "vectors": vs}, "", "  ")
	if err != nil {
		panic(err)
	}
	fmt.Println(string(out))
}

func runGroup(g string) []vector {
	cmd := exec.Command(os.Args[0], "-group", g)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		fmt.Fprintln(os.Stderr, "gobvectors: group", g, "failed:", err)
		os.Exit(1)
	}
	var vs []vector
	if err := json.Unmarshal(out, &vs); err != nil {
		panic(err)
	}
	return vs
}

func group(g string) []vector {
	switch {
	case g == "features":
		return featureVectors()
	case g == "gossip":
		return gossipVectors()
	case g == "topology":
		return topologyVectors()
	case g == "topology-evolved":
		return []vector{evolvedTopology()}
	case g == "wire-capture":
		return wireCapture()
	case g == "real-routers-connected":
		return []vector{connectedRoutersTopology()}
	case g == "real-router":
		real := realRouterTopology()
		decoded, err := meshwire.DecodeTopology(real)
		if err != nil {
			fmt.Fprintln(os.Stderr, "gobvectors: the mirror cannot decode mesh's topology:", err)
			os.Exit(1)
		}
		return []vector{{Name: "topology-real-router", Kind: "topology", Hex: hex.EncodeToString(real), Updates: describe(decoded), Random: true}}
	case strings.HasPrefix(g, "mirror:"):
		real, err := hex.DecodeString(strings.TrimPrefix(g, "mirror:"))
		if err != nil {
			panic(err)
		}
		// Decoding compiles no encoder types, so the ids below are still a fresh process's.
		decoded, err := meshwire.DecodeTopology(real)
		if err != nil {
			panic(err)
		}
		return []vector{{Name: "mirror", Kind: "topology", Hex: hex.EncodeToString(meshwire.EncodeTopology(decoded))}}
	}
	panic("unknown group " + g)
}

func featureVectors() []vector {
	return []vector{
		features("features-one-key", map[string]string{"PeerNameFlavour": "mac"}),
		features("features-empty", map[string]string{}),
		features("features-mesh", map[string]string{
			"PeerNameFlavour": "mac", "Name": "aa:bb:cc:dd:ee:ff", "NickName": "alice",
			"ShortID": "4095", "UID": "18446744073709551615", "ConnID": "1234567890123", "Trusted": "false"}),
		features("features-unicode", map[string]string{"NickName": "h\u00e9llo \u4e16\u754c \U0001F600", "": ""}),
	}
}

func gossipVectors() []vector {
	long := bytes.Repeat([]byte{0x5a}, 300)
	return []vector{
		gossip("gossip-notes-example", "topology", "00:00:00:00:00:01", []byte{0xaa, 0xbb}),
		gossip("gossip-empty-data", "test", "aa:bb:cc:dd:ee:ff", []byte{}),
		gossip("gossip-max-name-long-data", "nostrp2p", "ff:ff:ff:ff:ff:ff", long),
		gossip("gossip-empty-channel-zero-source", "", "00:00:00:00:00:00", []byte{1}),
		gossip("gossip-unicode-channel", "\u00e9t\u00e9", "01:02:03:04:05:06", []byte{0, 0x80, 0xff}),
		unicast("unicast-basic", "nostrp2p", "11:22:33:44:55:66", "aa:bb:cc:dd:ee:ff", []byte("hello")),
		unicast("unicast-long", "test", "00:00:00:00:00:7f", "00:00:00:00:00:80", bytes.Repeat([]byte{7}, 1000)),
	}
}

func topologyVectors() []vector {
	return []vector{
		topology("topology-lone-peer", []meshwire.Peer{
			{NameByte: nameBytes("aa:bb:cc:dd:ee:ff"), NickName: "alice", UID: 1234567890123456789, Version: 1}}),
		topology("topology-zero-fields-omitted", []meshwire.Peer{
			{NameByte: nameBytes("00:00:00:00:00:01")}}),
		topology("topology-max-values", []meshwire.Peer{
			{NameByte: nameBytes("ff:ff:ff:ff:ff:ff"), NickName: "\u4e16\u754c", UID: ^uint64(0), Version: ^uint64(0),
				ShortID: 4095, HasShortID: true,
				Connections: []meshwire.Connection{
					{NameByte: nameBytes("00:00:00:00:00:02"), RemoteTCPAddr: "[::1]:65535", Outbound: true, Established: true}}}}),
		topology("topology-three-peers", []meshwire.Peer{
			{NameByte: nameBytes("02:00:00:00:00:01"), NickName: "a", UID: 11, Version: 5, ShortID: 1, HasShortID: true,
				Connections: []meshwire.Connection{
					{NameByte: nameBytes("02:00:00:00:00:02"), RemoteTCPAddr: "127.0.0.1:20001", Outbound: true, Established: true},
					{NameByte: nameBytes("02:00:00:00:00:03"), RemoteTCPAddr: "127.0.0.1:20002", Outbound: false, Established: false}}},
			{NameByte: nameBytes("02:00:00:00:00:02"), NickName: "b", UID: 22, Version: 3, ShortID: 0, HasShortID: true,
				Connections: []meshwire.Connection{
					{NameByte: nameBytes("02:00:00:00:00:01"), RemoteTCPAddr: "127.0.0.1:54321", Outbound: false, Established: true}}},
			{NameByte: nameBytes("02:00:00:00:00:03"), NickName: "c", UID: 33, Version: 1}}),
	}
}

// evolvedTopology is topology as a later mesh might write it: the same type names with the
// fields in another order, and fields of every kind gob has that mesh's decoder skips. The
// slice of connections is a field-less element type's... no: its element adds a field too.
func evolvedTopology() vector {
	type inner struct {
		A int
		B map[string][]int
	}
	type peerSummary struct {
		HasShortID bool
		Extra      []string
		NickName   string
		Nested     inner
		Signed     int64
		Ratio      float64
		Version    uint64
		NameByte   []byte
		Bits       [3]uint8
		UID        uint64
		Cplx       complex128
		ShortID    uint16
		Table      map[int]inner
	}
	type connectionSummary struct {
		Established   bool
		Note          string
		NameByte      []byte
		RemoteTCPAddr string
		Weight        float32
		Outbound      bool
	}
	buf := new(bytes.Buffer)
	enc := gob.NewEncoder(buf)
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	must(enc.Encode(peerSummary{HasShortID: true, Extra: []string{"x", ""}, NickName: "future",
		Nested: inner{A: -5, B: map[string][]int{"k": {1, -2, 300}}}, Signed: -1234567, Ratio: 2.5,
		Version: 7, NameByte: nameBytes("0a:0b:0c:0d:0e:0f"), Bits: [3]uint8{1, 200, 255}, UID: 99,
		Cplx: complex(1.5, -2), ShortID: 42, Table: map[int]inner{3: {A: 1}}}))
	must(enc.Encode([]connectionSummary{
		{Established: true, Note: "n", NameByte: nameBytes("0a:0b:0c:0d:0e:10"), RemoteTCPAddr: "10.0.0.1:6783", Weight: 0.5, Outbound: true},
		{NameByte: nameBytes("0a:0b:0c:0d:0e:11")}}))
	return vector{Name: "topology-evolved-fields-reordered-and-added", Kind: "topology", Hex: hex.EncodeToString(buf.Bytes()), DecodeOnly: true,
		Updates: []update{{
			Peer: peer{"0a:0b:0c:0d:0e:0f", "future", "99", "7", 42, true},
			Connections: []connection{
				{"0a:0b:0c:0d:0e:10", "10.0.0.1:6783", true, true},
				{"0a:0b:0c:0d:0e:11", "", false, false}}}}}
}

// connectedRoutersTopology returns what a real mesh.Router gossips once a second router has
// connected to it: both peers, their connections, random UIDs and ports. Its type ids are
// not a fresh process's (the handshake's features map took 65), which is what a decoder
// meets on the wire; an encoder starting at 65 writes other ids, so it is decode-only.
func connectedRoutersTopology() vector {
	logger := log.New(ioutil.Discard, "", 0)
	var routers []*mesh.Router
	for i, n := range []string{"02:00:00:00:00:0a", "02:00:00:00:00:0b"} {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			panic(err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		r, err := mesh.NewRouter(mesh.Config{Host: "127.0.0.1", Port: port, ConnLimit: 64, ProtocolMinVersion: 2},
			name(n), fmt.Sprint("router-", i), nil, logger)
		if err != nil {
			panic(err)
		}
		r.Start()
		routers = append(routers, r)
	}
	routers[1].ConnectionMaker.InitiateConnections([]string{fmt.Sprintf("127.0.0.1:%d", routers[0].Port)}, false)
	deadline := time.Now().Add(20 * time.Second)
	for {
		s := mesh.NewStatus(routers[0])
		if len(s.Peers) == 2 && len(s.Peers[0].Connections) == 1 && len(s.Peers[1].Connections) == 1 &&
			s.Peers[0].Connections[0].Established && s.Peers[1].Connections[0].Established {
			break
		}
		if time.Now().After(deadline) {
			fmt.Fprintln(os.Stderr, "gobvectors: two local mesh routers did not connect in 20 s")
			os.Exit(1)
		}
		time.Sleep(20 * time.Millisecond)
	}
	encoded := routers[0].Gossip().Encode()[0]
	decoded, err := meshwire.DecodeTopology(encoded)
	if err != nil {
		panic(err)
	}
	return vector{Name: "topology-real-routers-connected", Kind: "topology", Hex: hex.EncodeToString(encoded),
		Updates: describe(decoded), DecodeOnly: true, Random: true}
}
