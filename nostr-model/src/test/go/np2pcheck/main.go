// np2pcheck: the Go side of nostr-model's MessagePack compatibility test
// (GoDecodesOurMessagePackProperties). It declares NostrP2P's Go types exactly as
// ryogrid/nostrp2p does, reads "<kind> <hex>" lines on stdin (kind: event, packet, resp),
// decodes each with github.com/vmihailenco/msgpack/v5 into those types, encodes the value
// again and answers one line: "ok <hex>" or "error <message>".
//
// Build (offline, GOPATH mode, Debian's golang-github-vmihailenco-msgpack.v5-dev):
//
//	GO111MODULE=off GOPATH=/tmp/gopath:/usr/share/gocode go build -o np2pcheck .
package main

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"os"
	"strings"

	"github.com/vmihailenco/msgpack/v5"
)

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

type EventsResp struct {
	Evts []Np2pEvent
}

func roundTrip(kind string, data []byte) ([]byte, error) {
	var value interface{}
	switch kind {
	case "event":
		value = &Np2pEvent{}
	case "packet":
		value = &Np2pPacket{}
	case "resp":
		value = &EventsResp{}
	default:
		return nil, fmt.Errorf("unknown kind %q", kind)
	}
	if err := msgpack.Unmarshal(data, value); err != nil {
		return nil, err
	}
	return msgpack.Marshal(value)
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	out := bufio.NewWriter(os.Stdout)
	for in.Scan() {
		fields := strings.SplitN(in.Text(), " ", 2)
		if len(fields) != 2 {
			fmt.Fprintln(out, "error expected '<kind> <hex>'")
		} else if data, err := hex.DecodeString(fields[1]); err != nil {
			fmt.Fprintln(out, "error bad hex:", err)
		} else if again, err := roundTrip(fields[0], data); err != nil {
			fmt.Fprintln(out, "error", strings.ReplaceAll(err.Error(), "\n", " "))
		} else {
			fmt.Fprintln(out, "ok", hex.EncodeToString(again))
		}
		out.Flush()
	}
}
