package org.nostrp2p.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Events;
import org.nostrp2p.model.codec.EventJson;
import org.nostrp2p.model.crypto.SecretKey;
import picocli.CommandLine;

/**
 * {@code nostrp2p status} against a stand-in for the server's {@code GET /status} that checks
 * the NIP-98 authorization exactly as the contract says (kind 27235, u = the absolute URL,
 * method GET, created_at within 60 s, signed by the owner) and answers the contract's JSON.
 */
class StatusCommandTest {

    private final SecretKey owner = SecretKey.generate();
    private HttpServer server;
    private String url;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/status", this::status);
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void status(HttpExchange exchange) throws IOException {
        int code = authorized(exchange.getRequestHeaders().getFirst("Authorization"));
        String body = code != 200 ? "{\"Status\":\"ERROR\",\"Error\":\"only the owner may read the status\"}" : """
                {"name":"aa:bb:cc:dd:ee:ff","nickName":"np2p-alice","uid":"1234567890",
                 "peers":[{"name":"11:22:33:44:55:66","nickName":"np2p-bob","connections":[
                   {"name":"aa:bb:cc:dd:ee:ff","address":"127.0.0.1:20000","outbound":false,"established":true}]}],
                 "connections":[{"name":"11:22:33:44:55:66","address":"127.0.0.1:20010","outbound":true,"established":true}],
                 "routes":{"11:22:33:44:55:66":"11:22:33:44:55:66"}}""";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private int authorized(String header) {
        if (header == null || !header.startsWith("Nostr ")) {
            return 401;
        }
        Event event = EventJson.parse(new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8));
        boolean valid = Events.verify(event) && event.kind() == 27235
                && event.tags().contains(List.of("u", url + "/status")) && event.tags().contains(List.of("method", "GET"))
                && Math.abs(System.currentTimeMillis() / 1000 - event.createdAt()) <= 60;
        if (!valid) {
            return 401;
        }
        return event.pubkeyHex().equals(owner.publicKey().toHex()) ? 200 : 403;
    }

    private String[] run(SecretKey key) {
        CommandLine commandLine = Main.commandLine();
        ((ClientCommand) commandLine.getSubcommands().get("status").getCommand()).client.environment =
                Map.of(ClientOptions.NSEC_VARIABLE, key.toNsec())::get;
        var out = new StringWriter();
        var err = new StringWriter();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int code = commandLine.execute("status", "--server", url);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void theOwnersSignedRequestShowsPeersConnectionsAndRoutes() {
        String[] run = run(owner);

        assertEquals("0", run[0], run[2]);
        assertTrue(run[1].contains("server:       aa:bb:cc:dd:ee:ff (np2p-alice)"), run[1]);
        assertTrue(run[1].contains("→ 11:22:33:44:55:66 127.0.0.1:20010"), run[1]);
        assertTrue(run[1].contains("11:22:33:44:55:66 (np2p-bob)"), run[1]);
        assertTrue(run[1].contains("11:22:33:44:55:66 via 11:22:33:44:55:66"), run[1]);
    }

    @Test
    void anotherKeyIsRefusedWithTheServersReason() {
        String[] run = run(SecretKey.generate());

        assertEquals("1", run[0]);
        assertTrue(run[2].contains("(403): only the owner may read the status"), run[2]);
    }
}
