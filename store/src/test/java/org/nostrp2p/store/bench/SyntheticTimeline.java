package org.nostrp2p.store.bench;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.nostrp2p.model.Event;

/**
 * A deterministic stream of events shaped like a NostrP2P timeline: 1,000 authors, two events
 * a second; 75% posts (a third of them replies with e and p tags), 10% likes, 5% reposts,
 * 5% profiles and 5% follow lists; contents of about a hundred characters.
 */
final class SyntheticTimeline {

    static final int AUTHORS = 1000;
    static final long START = 1_700_000_000L;
    private static final String TEXT = "a typical post of a hundred characters or so, with an emoji 🌏 and some 日本語 text in it.";

    private final SplittableRandom random;
    private final byte[][] authors = new byte[AUTHORS][];
    private final List<byte[]> recentIds = new ArrayList<>();
    private long index;

    SyntheticTimeline(long seed) {
        random = new SplittableRandom(seed);
        var keys = new SplittableRandom(42);
        for (int i = 0; i < AUTHORS; i++) {
            authors[i] = bytes(keys, 32);
        }
    }

    static String authorHex(int i) {
        var keys = new SplittableRandom(42);
        byte[] key = null;
        for (int j = 0; j <= i; j++) {
            key = bytes(keys, 32);
        }
        return HexFormat.of().formatHex(key);
    }

    Event next() {
        long createdAt = START + index++ / 2;
        byte[] author = authors[random.nextInt(AUTHORS)];
        int roll = random.nextInt(100);
        List<List<String>> tags;
        int kind;
        String content;
        if (roll < 75) {
            kind = 1;
            content = TEXT;
            if (roll < 25 && !recentIds.isEmpty()) {
                tags = List.of(List.of("e", hex(recentId()), "", "root"), List.of("p", hex(randomAuthor())));
            } else {
                tags = List.of();
            }
        } else if (roll < 85) {
            kind = 7;
            content = "+";
            tags = List.of(List.of("e", hex(recentIdOrRandom())), List.of("p", hex(randomAuthor())));
        } else if (roll < 90) {
            kind = 6;
            content = "{\"kind\":1,\"content\":\"" + TEXT + "\"}";
            tags = List.of(List.of("e", hex(recentIdOrRandom()), ""), List.of("p", hex(randomAuthor())));
        } else if (roll < 95) {
            kind = 0;
            content = "{\"name\":\"someone\",\"about\":\"" + TEXT + "\",\"picture\":\"https://example.com/a.png\"}";
            tags = List.of();
        } else {
            kind = 3;
            content = "";
            List<List<String>> follows = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                follows.add(List.of("p", hex(randomAuthor()), "", ""));
            }
            tags = follows;
        }
        byte[] id = bytes(random, 32);
        if (recentIds.size() < 1000) {
            recentIds.add(id);
        } else {
            recentIds.set(random.nextInt(1000), id);
        }
        return new Event(id, author, createdAt, kind, tags, content, bytes(random, 64));
    }

    List<Event> next(int n) {
        List<Event> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            events.add(next());
        }
        return events;
    }

    private byte[] recentId() {
        return recentIds.get(random.nextInt(recentIds.size()));
    }

    private byte[] recentIdOrRandom() {
        return recentIds.isEmpty() ? bytes(random, 32) : recentId();
    }

    private byte[] randomAuthor() {
        return authors[random.nextInt(AUTHORS)];
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static byte[] bytes(SplittableRandom random, int n) {
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i += 8) {
            long value = random.nextLong();
            for (int j = 0; j < 8 && i + j < n; j++) {
                bytes[i + j] = (byte) (value >>> (8 * j));
            }
        }
        return bytes;
    }
}
