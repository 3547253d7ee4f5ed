// Package meshwire mirrors the unexported gob types of github.com/weaveworks/mesh
// (peer.go peerSummary, peers.go connectionSummary: same type names, same fields) and its
// gobEncode (gossip_channel.go), so that gobvectors can write golden bytes for chosen values
// and gobcheck can decode as mesh does. gobvectors checks at run time that the mirror
// encodes exactly as a real mesh.Router.
package meshwire

import (
	"bytes"
	"encoding/gob"
)

type peerSummary struct {
	NameByte   []byte
	NickName   string
	UID        uint64
	Version    uint64
	ShortID    uint16
	HasShortID bool
}

type connectionSummary struct {
	NameByte      []byte
	RemoteTCPAddr string
	Outbound      bool
	Established   bool
}

// Peer is one topology entry: a peer summary and its connections.
type Peer struct {
	NameByte    []byte
	NickName    string
	UID         uint64
	Version     uint64
	ShortID     uint16
	HasShortID  bool
	Connections []Connection
}

// Connection is one connection summary.
type Connection struct {
	NameByte      []byte
	RemoteTCPAddr string
	Outbound      bool
	Established   bool
}

// EncodeTopology writes peers as mesh's Peers.encodePeers does: one gob stream, for each
// peer its peerSummary then its []connectionSummary (never nil).
func EncodeTopology(peers []Peer) []byte {
	buf := new(bytes.Buffer)
	enc := gob.NewEncoder(buf)
	for _, p := range peers {
		must(enc.Encode(peerSummary{p.NameByte, p.NickName, p.UID, p.Version, p.ShortID, p.HasShortID}))
		conns := []connectionSummary{}
		for _, c := range p.Connections {
			conns = append(conns, connectionSummary{c.NameByte, c.RemoteTCPAddr, c.Outbound, c.Established})
		}
		must(enc.Encode(conns))
	}
	return buf.Bytes()
}

// DecodeTopology reads a topology stream as mesh's Peers.decodeUpdate does.
func DecodeTopology(data []byte) ([]Peer, error) {
	dec := gob.NewDecoder(bytes.NewReader(data))
	var out []Peer
	for {
		var ps peerSummary
		if err := dec.Decode(&ps); err != nil {
			if err.Error() == "EOF" {
				return out, nil
			}
			return nil, err
		}
		var cs []connectionSummary
		if err := dec.Decode(&cs); err != nil {
			return nil, err
		}
		p := Peer{ps.NameByte, ps.NickName, ps.UID, ps.Version, ps.ShortID, ps.HasShortID, nil}
		for _, c := range cs {
			p.Connections = append(p.Connections, Connection{c.NameByte, c.RemoteTCPAddr, c.Outbound, c.Established})
		}
		out = append(out, p)
	}
}

// GobEncode gob-encodes each item into one stream, as mesh's gobEncode does.
func GobEncode(items ...interface{}) []byte {
	buf := new(bytes.Buffer)
	enc := gob.NewEncoder(buf)
	for _, i := range items {
		must(enc.Encode(i))
	}
	return buf.Bytes()
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
