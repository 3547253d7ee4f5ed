// Command gobcheck decodes gob payloads with Go's encoding/gob exactly as weaveworks/mesh
// does, to prove that bytes another encoder wrote are what a Go mesh peer understands.
//
// Input, one per line on stdin: "<kind> <hex>", kind one of features, gossip, unicast,
// topology; "-" stands for no bytes. Output, one JSON object per input line on stdout: {"ok":true,...the decoded
// values...} or {"ok":false,"error":"..."}.
package main

import (
	"bufio"
	"bytes"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/weaveworks/mesh"

	meshwire "../meshwire"
)

type result struct {
	OK          bool              `json:"ok"`
	Error       string            `json:"error,omitempty"`
	Features    map[string]string `json:"features,omitempty"`
	Channel     *string           `json:"channel,omitempty"`
	Source      string            `json:"source,omitempty"`
	Destination string            `json:"destination,omitempty"`
	Data        *string           `json:"data,omitempty"`
	Updates     []update          `json:"updates,omitempty"`
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

func nameText(b []byte) string {
	if len(b) != 6 {
		return "bad:" + hex.EncodeToString(b)
	}
	return mesh.PeerNameFromBin(b).String()
}

func decode(kind string, payload []byte) (r result) {
	defer func() {
		if p := recover(); p != nil {
			r = result{OK: false, Error: fmt.Sprint("panic: ", p)}
		}
	}()
	dec := gob.NewDecoder(bytes.NewReader(payload))
	switch kind {
	case "features":
		// protocol.go: gob.NewDecoder(...).Decode(&res.Features)
		var features map[string]string
		if err := dec.Decode(&features); err != nil {
			return result{Error: err.Error()}
		}
		return result{OK: true, Features: features}
	case "gossip", "unicast":
		// router.go handleGossip, gossip_channel.go deliver*
		var channel string
		var src, dst mesh.PeerName
		var data []byte
		if err := dec.Decode(&channel); err != nil {
			return result{Error: err.Error()}
		}
		if err := dec.Decode(&src); err != nil {
			return result{Error: err.Error()}
		}
		if kind == "unicast" {
			if err := dec.Decode(&dst); err != nil {
				return result{Error: err.Error()}
			}
		}
		if err := dec.Decode(&data); err != nil {
			return result{Error: err.Error()}
		}
		d := hex.EncodeToString(data)
		r := result{OK: true, Channel: &channel, Source: src.String(), Data: &d}
		if kind == "unicast" {
			r.Destination = dst.String()
		}
		return r
	case "topology":
		// peers.go decodeUpdate
		peers, err := meshwire.DecodeTopology(payload)
		if err != nil {
			return result{Error: err.Error()}
		}
		r := result{OK: true, Updates: []update{}}
		for _, p := range peers {
			u := update{Peer: peer{nameText(p.NameByte), p.NickName, strconv.FormatUint(p.UID, 10),
				strconv.FormatUint(p.Version, 10), p.ShortID, p.HasShortID}, Connections: []connection{}}
			for _, c := range p.Connections {
				u.Connections = append(u.Connections, connection{nameText(c.NameByte), c.RemoteTCPAddr, c.Outbound, c.Established})
			}
			r.Updates = append(r.Updates, u)
		}
		return r
	}
	return result{Error: "unknown kind " + kind}
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		fields := strings.Fields(in.Text())
		if len(fields) == 0 {
			continue
		}
		var r result
		if len(fields) != 2 {
			r = result{Error: "expected '<kind> <hex>'"}
		} else if fields[1] == "-" {
			r = decode(fields[0], []byte{})
		} else if payload, err := hex.DecodeString(fields[1]); err != nil {
			r = result{Error: "bad hex: " + err.Error()}
		} else {
			r = decode(fields[0], payload)
		}
		if err := out.Encode(r); err != nil {
			panic(err)
		}
	}
}
