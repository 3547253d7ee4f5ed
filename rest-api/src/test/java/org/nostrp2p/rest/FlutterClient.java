package org.nostrp2p.rest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ArrayValue;
import org.msgpack.value.MapValue;
import org.msgpack.value.Value;

/**
 * Sends what ryogrid/flustr-for-nosp2p's {@code np2p_api.dart} sends (its exact headers and
 * JSON) and decodes answers as it does: a generic MessagePack map, {@code Evts} a list of maps,
 * {@code Id}/{@code Pubkey} bytes, {@code Created_at} any number, {@code Tags} lists of bytes.
 */
final class FlutterClient {

    /** An event as the client's {@code msgPackMapToEvent} builds it. */
    record ClientEvent(String id, String pubkey, long createdAt, int kind, List<List<String>> tags, String content) {
    }

    private final HttpClient http;
    private final String url;

    FlutterClient(String url) {
        this(url, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    FlutterClient(String url, HttpClient http) {
        this.url = url;
        this.http = http;
    }

    HttpResponse<byte[]> post(String path, String json, boolean binaryAnswer) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + path))
                .timeout(Duration.ofSeconds(10))
                .header("content-type", "application/json")
                .header("accept", binaryAnswer ? "application/octet-stream" : "application/json")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Private-Network", "true")
                .header("Accept-Encoding", "gzip, deflate")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code _requestRespBin}: POST /req, then decode the (gzip-decoded) MessagePack. */
    List<ClientEvent> req(String filterJson) {
        HttpResponse<byte[]> response = post("/req", filterJson, true);
        if (response.statusCode() != 200) {
            throw new AssertionError("/req answered " + response.statusCode() + ": " + new String(response.body()));
        }
        byte[] body = response.body();
        if (response.headers().firstValue("Content-Encoding").orElse("").equals("gzip")) {
            body = gunzip(body);
        }
        return decodeEvts(body);
    }

    static byte[] gunzip(byte[] body) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<ClientEvent> decodeEvts(byte[] body) {
        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(body)) {
            MapValue root = unpacker.unpackValue().asMapValue();
            Map<String, Value> map = strings(root);
            List<ClientEvent> events = new ArrayList<>();
            for (Value e : map.get("Evts").asArrayValue()) {
                Map<String, Value> evt = strings(e.asMapValue());
                List<List<String>> tags = new ArrayList<>();
                for (Value tag : evt.get("Tags").asArrayValue()) {
                    List<String> elements = new ArrayList<>();
                    for (Value element : (ArrayValue) tag) {
                        elements.add(new String(element.asBinaryValue().asByteArray(), java.nio.charset.StandardCharsets.UTF_8));
                    }
                    tags.add(elements);
                }
                Value created = evt.get("Created_at");
                long createdAt = created.isFloatValue() ? (long) created.asFloatValue().toDouble() : created.asIntegerValue().toLong();
                events.add(new ClientEvent(
                        HexFormat.of().formatHex(evt.get("Id").asBinaryValue().asByteArray()),
                        HexFormat.of().formatHex(evt.get("Pubkey").asBinaryValue().asByteArray()),
                        createdAt, evt.get("Kind").asIntegerValue().toInt(), tags,
                        evt.get("Content").asStringValue().asString()));
            }
            return events;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Value> strings(MapValue map) {
        Map<String, Value> out = new LinkedHashMap<>();
        map.map().forEach((k, v) -> out.put(k.asStringValue().asString(), v));
        return out;
    }
}
