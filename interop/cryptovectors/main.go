// Command cryptovectors captures encrypted frames off the wire between two real
// weaveworks/mesh routers of a mesh with a password, and prints them as JSON vectors for
// overlay-core's SecretBoxVectorsTest.
//
// Router A dials a relay that B listens behind. The relay knows the password, so it runs
// mesh's key exchange with each router on its own (with a fixed private key per leg, printed
// in the vectors): it opens every frame a router seals, records it sealed and opened, seals
// it again for the other router and records that too. Each leg is then a connection on
// which the relay plays the part a Java peer plays: the frames "fromGo" were sealed by
// mesh's own encryptedTCPSender, and the frames "toGo" were opened by mesh's own
// encryptedTCPReceiver (the routers exchange topology, a broadcast and a unicast each way
// through the relay, so they did). A Java peer must open the first and seal the second to
// the same bytes.
//
// The relay seals and opens with golang.org/x/crypto's nacl/box and nacl/secretbox, the
// package mesh uses, following protocol_crypto.go: session key = SHA-256(box.Precompute(their
// public, my private) ‖ password); nonce byte 0 = 0x40 | 0x80 if the sender dialled, bytes
// 16-23 the big-endian sequence number from 0 in each direction.
//
// Build and run in GOPATH mode against Debian's packages (see ../README.md):
//
//	GO111MODULE=off GOPATH=/tmp/gopath:/usr/share/gocode go build && ./cryptovectors > vectors.json
package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/ioutil"
	"log"
	"net"
	"os"
	"sync"
	"time"

	"github.com/weaveworks/mesh"
	"golang.org/x/crypto/curve25519"
	"golang.org/x/crypto/nacl/box"
	"golang.org/x/crypto/nacl/secretbox"
)

const password = "cryptovectors mesh password"

// maxFrames bounds what one direction of a leg records.
const maxFrames = 40

type frame struct {
	Sealed string `json:"sealed"`
	Plain  string `json:"plain"`
}

// leg is one encrypted connection between the relay and a real router, seen from the relay.
type leg struct {
	Description  string  `json:"description"`
	GoPeer       string  `json:"goPeer"`
	JavaOutbound bool    `json:"javaOutbound"`
	PrivateKey   string  `json:"privateKey"`
	PublicKey    string  `json:"publicKey"`
	GoPublicKey  string  `json:"goPublicKey"`
	SessionKey   string  `json:"sessionKey"`
	FromGo       []frame `json:"fromGo"`
	ToGo         []frame `json:"toGo"`

	conn       net.Conn
	reader     *bufio.Reader
	sessionKey [32]byte
	sendSeq    uint64
	receiveSeq uint64
	mu         sync.Mutex
}

func nonce(senderOutbound bool, seq uint64) *[24]byte {
	var n [24]byte
	n[0] = 0x40
	if senderOutbound {
		n[0] |= 0x80
	}
	binary.BigEndian.PutUint64(n[16:], seq)
	return &n
}

// handshake runs mesh's V2 intro with a real router as an encrypted peer whose private key
// is SHA-256(seed).
func handshake(conn net.Conn, outbound bool, seed, description, goPeer string) *leg {
	l := &leg{Description: description, GoPeer: goPeer, JavaOutbound: outbound, conn: conn,
		reader: bufio.NewReader(conn)}
	private := sha256.Sum256([]byte(seed))
	var public [32]byte
	curve25519.ScalarBaseMult(&public, &private)
	if _, err := conn.Write([]byte("weave\x02\x02")); err != nil {
		fail("header: %v", err)
	}
	header := make([]byte, 7)
	if _, err := io.ReadFull(l.reader, header); err != nil || string(header[:5]) != "weave" {
		fail("router header %q: %v", header, err)
	}
	if _, err := conn.Write(append([]byte{1}, public[:]...)); err != nil {
		fail("flag: %v", err)
	}
	theirs := make([]byte, 33)
	if _, err := io.ReadFull(l.reader, theirs); err != nil || theirs[0] != 1 {
		fail("router flag %x: %v", theirs, err)
	}
	var goPublic [32]byte
	copy(goPublic[:], theirs[1:])
	var shared [32]byte
	box.Precompute(&shared, &goPublic, &private)
	l.sessionKey = sha256.Sum256(append(shared[:], []byte(password)...))
	l.PrivateKey = hex.EncodeToString(private[:])
	l.PublicKey = hex.EncodeToString(public[:])
	l.GoPublicKey = hex.EncodeToString(goPublic[:])
	l.SessionKey = hex.EncodeToString(l.sessionKey[:])
	return l
}

// receive reads and opens the router's next frame, recording it.
func (l *leg) receive() ([]byte, error) {
	prefix := make([]byte, 4)
	if _, err := io.ReadFull(l.reader, prefix); err != nil {
		return nil, err
	}
	sealed := make([]byte, binary.BigEndian.Uint32(prefix))
	if _, err := io.ReadFull(l.reader, sealed); err != nil {
		return nil, err
	}
	plain, ok := secretbox.Open(nil, sealed, nonce(!l.JavaOutbound, l.receiveSeq), &l.sessionKey)
	if !ok {
		fail("%s: frame %d from the router does not open", l.Description, l.receiveSeq)
	}
	l.receiveSeq++
	l.mu.Lock()
	if len(l.FromGo) < maxFrames {
		l.FromGo = append(l.FromGo, frame{hex.EncodeToString(sealed), hex.EncodeToString(plain)})
	}
	l.mu.Unlock()
	return plain, nil
}

// send seals a frame for the router and writes it, recording it.
func (l *leg) send(plain []byte) error {
	sealed := secretbox.Seal(nil, plain, nonce(l.JavaOutbound, l.sendSeq), &l.sessionKey)
	l.sendSeq++
	l.mu.Lock()
	if len(l.ToGo) < maxFrames {
		l.ToGo = append(l.ToGo, frame{hex.EncodeToString(sealed), hex.EncodeToString(plain)})
	}
	l.mu.Unlock()
	prefix := make([]byte, 4)
	binary.BigEndian.PutUint32(prefix, uint32(len(sealed)))
	_, err := l.conn.Write(append(prefix, sealed...))
	return err
}

type seen struct {
	sync.Mutex
	plains [][]byte
}

func (s *seen) add(b []byte) {
	s.Lock()
	defer s.Unlock()
	s.plains = append(s.plains, b)
}

func (s *seen) contains(text string) bool {
	s.Lock()
	defer s.Unlock()
	for _, p := range s.plains {
		if bytes.Contains(p, []byte(text)) {
			return true
		}
	}
	return false
}

func relay(from, to *leg, s *seen) {
	for {
		plain, err := from.receive()
		if err != nil {
			return
		}
		s.add(plain)
		if err := to.send(plain); err != nil {
			return
		}
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

func router(name string) (*mesh.Router, mesh.Gossip) {
	peerName, err := mesh.PeerNameFromString(name)
	if err != nil {
		fail("%v", err)
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail("%v", err)
	}
	port := listener.Addr().(*net.TCPAddr).Port
	listener.Close()
	r, err := mesh.NewRouter(mesh.Config{Host: "127.0.0.1", Port: port, ConnLimit: 64, ProtocolMinVersion: 2,
		Password: []byte(password), PeerDiscovery: false}, peerName, "vectors-"+name[len(name)-2:], mesh.NullOverlay{},
		log.New(ioutil.Discard, "", 0))
	if err != nil {
		fail("%v", err)
	}
	g, err := r.NewGossip("test", relayingGossiper{})
	if err != nil {
		fail("%v", err)
	}
	r.Start()
	return r, g
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "cryptovectors: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	aName, bName := "02:00:00:00:00:a1", "02:00:00:00:00:b2"
	a, aGossip := router(aName)
	b, bGossip := router(bName)
	relayListener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail("%v", err)
	}
	legs := make(chan [2]*leg, 1)
	s := &seen{}
	go func() {
		fromA, err := relayListener.Accept()
		if err != nil {
			fail("%v", err)
		}
		toB, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", b.Port))
		if err != nil {
			fail("%v", err)
		}
		legA := handshake(fromA, false, "cryptovectors leg A", "A dialled the relay: the relay is the inbound end", aName)
		legB := handshake(toB, true, "cryptovectors leg B", "the relay dialled B: the relay is the outbound end", bName)
		go relay(legA, legB, s)
		go relay(legB, legA, s)
		legs <- [2]*leg{legA, legB}
	}()
	a.ConnectionMaker.InitiateConnections([]string{relayListener.Addr().String()}, false)

	both := <-legs
	texts := []string{"broadcast from A, encrypted", "unicast from A, encrypted",
		"broadcast from B, encrypted", "unicast from B, encrypted"}
	deadline := time.Now().Add(20 * time.Second)
	sent := false
	for {
		if time.Now().After(deadline) {
			fail("in 20 s: sent %v; routes %v / %v", sent, a.Routes.PeerNames(), b.Routes.PeerNames())
		}
		if !sent {
			_, aToB := a.Routes.Unicast(mustName(bName))
			_, bToA := b.Routes.Unicast(mustName(aName))
			if aToB && bToA {
				aGossip.GossipBroadcast(&bytesData{[]byte(texts[0])})
				if err := aGossip.GossipUnicast(mustName(bName), []byte(texts[1])); err != nil {
					fail("%v", err)
				}
				bGossip.GossipBroadcast(&bytesData{[]byte(texts[2])})
				if err := bGossip.GossipUnicast(mustName(aName), []byte(texts[3])); err != nil {
					fail("%v", err)
				}
				sent = true
			}
		} else if s.contains(texts[0]) && s.contains(texts[1]) && s.contains(texts[2]) && s.contains(texts[3]) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Stop the routers first so that no frame is half recorded.
	a.Stop()
	b.Stop()
	for _, l := range both {
		l.conn.Close()
		l.mu.Lock()
	}
	out := map[string]interface{}{
		"comment": "Frames of two real weaveworks/mesh routers (A, B) with a password, relayed through " +
			"interop/cryptovectors, which plays a Java peer's part on each leg: open fromGo in order, seal toGo " +
			"in order to the same bytes. Regenerate: see interop/README.md.",
		"password": password,
		"texts":    texts,
		"legs":     both,
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		fail("%v", err)
	}
}

func mustName(s string) mesh.PeerName {
	n, err := mesh.PeerNameFromString(s)
	if err != nil {
		fail("%v", err)
	}
	return n
}
