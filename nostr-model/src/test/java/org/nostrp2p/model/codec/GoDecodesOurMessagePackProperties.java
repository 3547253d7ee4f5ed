package org.nostrp2p.model.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.ModelArbitraries;

/**
 * The other side: Go's vmihailenco/msgpack/v5, with NostrP2P's Go types
 * (src/test/go/np2pcheck), decodes what we write for arbitrary values and, encoding its
 * value again, writes exactly our bytes. Needs {@code go} and Debian's
 * {@code golang-github-vmihailenco-msgpack.v5-dev} (which {@code .ci/run} installs).
 */
class GoDecodesOurMessagePackProperties {
    private static final HexFormat HEX = HexFormat.of();
    private static Process go;
    private static BufferedWriter toGo;
    private static BufferedReader fromGo;

    @BeforeContainer
    static void buildAndStartTheGoProgram() throws IOException, InterruptedException {
        Path source = Path.of("src/test/go/np2pcheck").toAbsolutePath();
        Path binary = Path.of("target/go-bin/np2pcheck").toAbsolutePath();
        Files.createDirectories(binary.getParent());
        var build = new ProcessBuilder("go", "build", "-o", binary.toString(), ".")
                .directory(source.toFile())
                .redirectErrorStream(true);
        build.environment().put("GO111MODULE", "off");
        build.environment().put("GOPATH", Path.of("target/go-path").toAbsolutePath() + ":/usr/share/gocode");
        if (System.getenv("GOCACHE") == null && System.getenv("HOME") == null && System.getenv("XDG_CACHE_HOME") == null) {
            build.environment().put("GOCACHE", Path.of("target/go-cache").toAbsolutePath().toString());
        }
        Process builder;
        try {
            builder = build.start();
        } catch (IOException e) {
            throw new IllegalStateException("this test needs Go (apt-get install golang-go"
                    + " golang-github-vmihailenco-msgpack.v5-dev): " + e.getMessage(), e);
        }
        String output = new String(builder.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!builder.waitFor(120, TimeUnit.SECONDS) || builder.exitValue() != 0) {
            throw new IllegalStateException("go build of np2pcheck failed (needs Debian's"
                    + " golang-github-vmihailenco-msgpack.v5-dev):\n" + output);
        }
        go = new ProcessBuilder(binary.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        toGo = new BufferedWriter(new OutputStreamWriter(go.getOutputStream(), StandardCharsets.US_ASCII));
        fromGo = new BufferedReader(new InputStreamReader(go.getInputStream(), StandardCharsets.US_ASCII));
    }

    @AfterContainer
    static void stopTheGoProgram() throws InterruptedException {
        if (go != null) {
            go.destroy();
            go.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** @return the bytes Go writes after decoding {@code ours} into its type for {@code kind} */
    private static String throughGo(String kind, byte[] ours) throws IOException {
        toGo.write(kind + " " + HEX.formatHex(ours) + "\n");
        toGo.flush();
        String answer = fromGo.readLine();
        if (answer == null || !answer.startsWith("ok ")) {
            throw new AssertionError("Go could not decode our " + kind + ": " + answer);
        }
        return answer.substring(3);
    }

    @Provide
    Arbitrary<Event> events() {
        return ModelArbitraries.events();
    }

    @Provide
    Arbitrary<List<Event>> eventLists() {
        return ModelArbitraries.smallEvents().list().ofMaxSize(5);
    }

    /** Packets whose Args have at most one key: Go writes a map in random key order. */
    @Provide
    Arbitrary<Np2pPacket> packets() {
        return ModelArbitraries.smallPackets().map(p -> new Np2pPacket(p.srvVer(), p.pktVer(), p.events(),
                p.reqs() == null ? null : p.reqs().stream().map(r -> new Np2pReq(r.id(), r.kind(),
                        r.args() == null ? null : firstEntryOnly(r.args()))).toList()));
    }

    private static Map<String, List<Object>> firstEntryOnly(Map<String, List<Object>> args) {
        Map<String, List<Object>> one = new LinkedHashMap<>();
        args.entrySet().stream().limit(1).forEach(e -> one.put(e.getKey(), e.getValue()));
        return one;
    }

    @Property(tries = 200)
    void goReadsOurEventAndWritesTheSameBytes(@ForAll("events") Event event) throws IOException {
        byte[] ours = Np2pCodec.encodeEvent(event);
        assertEquals(HEX.formatHex(ours), throughGo("event", ours));
    }

    @Property(tries = 200)
    void goReadsOurPacketAndWritesTheSameBytes(@ForAll("packets") Np2pPacket packet) throws IOException {
        byte[] ours = Np2pCodec.encodePacket(packet);
        assertEquals(HEX.formatHex(ours), throughGo("packet", ours));
    }

    @Property(tries = 100)
    void goReadsOurRestAnswerAndWritesTheSameBytes(@ForAll("eventLists") List<Event> events) throws IOException {
        byte[] ours = Np2pCodec.encodeEventsResp(events);
        assertEquals(HEX.formatHex(ours), throughGo("resp", ours));
    }

    @Property(tries = 50)
    void goReadsAPostRequestWithItsEventId(@ForAll("ids") byte[] id, @ForAll long requestId) throws IOException {
        byte[] ours = Np2pCodec.encodePacket(Np2pPacket.ofRequest(
                new Np2pReq(requestId, Np2pReq.KIND_POST, Map.of("evtId", List.of(id)))));
        assertEquals(HEX.formatHex(ours), throughGo("packet", ours));
    }

    @Provide
    Arbitrary<byte[]> ids() {
        return Arbitraries.bytes().array(byte[].class).ofSize(32);
    }
}
