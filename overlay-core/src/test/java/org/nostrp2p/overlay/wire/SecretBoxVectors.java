package org.nostrp2p.overlay.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.nostrp2p.overlay.interop.GoBuild;

/**
 * Checks of the encrypted-frame vectors interop/cryptovectors captures between two real Go
 * mesh routers (see its main.go): on each leg Java plays the relay's part, so it must form
 * the same keys, open every frame mesh sealed to what Go's NaCl opened, and seal every frame
 * mesh opened to the very bytes mesh accepted.
 */
final class SecretBoxVectors {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HexFormat HEX = HexFormat.of();

    private SecretBoxVectors() {
    }

    /** @return the vectors committed under interop/cryptovectors */
    static JsonNode committed() throws IOException {
        Path file = GoBuild.interopDir().resolve("cryptovectors").resolve("vectors.json");
        return JSON.readTree(Files.readString(file));
    }

    /** Asserts everything the vectors say about Java's side of each leg. */
    static void check(JsonNode vectors) {
        byte[] password = vectors.get("password").asText().getBytes(StandardCharsets.UTF_8);
        StringBuilder everythingOpened = new StringBuilder();
        assertEquals(2, vectors.get("legs").size(), "a leg with the relay dialled, one with it dialling");
        for (JsonNode leg : vectors.get("legs")) {
            String name = leg.get("description").asText();
            byte[] privateKey = HEX.parseHex(leg.get("privateKey").asText());
            assertEquals(leg.get("publicKey").asText(), HEX.formatHex(SessionKey.keyPairOf(privateKey).publicKey()), name);
            byte[] sessionKey = SessionKey.form(HEX.parseHex(leg.get("goPublicKey").asText()), privateKey, password);
            assertEquals(leg.get("sessionKey").asText(), HEX.formatHex(sessionKey), name);

            SecretBoxCodec codec = new SecretBoxCodec(sessionKey, leg.get("javaOutbound").asBoolean());
            int i = 0;
            for (JsonNode frame : leg.get("fromGo")) {
                byte[] opened = codec.open(Unpooled.wrappedBuffer(HEX.parseHex(frame.get("sealed").asText())));
                assertEquals(frame.get("plain").asText(), HEX.formatHex(opened), name + ": frame " + i + " from Go");
                if (i++ == 0) {
                    assertEquals(leg.get("goPeer").asText(), WireCodec.decodeFeatures(opened).get("Name"),
                            name + ": frame 0 is the router's features");
                }
                everythingOpened.append(new String(opened, StandardCharsets.ISO_8859_1));
            }
            i = 0;
            for (JsonNode frame : leg.get("toGo")) {
                byte[] sealed = codec.seal(Unpooled.wrappedBuffer(HEX.parseHex(frame.get("plain").asText())));
                assertArrayEquals(HEX.parseHex(frame.get("sealed").asText()), sealed, name + ": frame " + i++ + " to Go");
            }
            assertTrue(leg.get("fromGo").size() > 2 && leg.get("toGo").size() > 2, name + ": more than the features");
        }
        for (JsonNode text : vectors.get("texts")) {
            assertTrue(everythingOpened.toString().contains(text.asText()), "a frame from Go carries " + text);
        }
    }
}
