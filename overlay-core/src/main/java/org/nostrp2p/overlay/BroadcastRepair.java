package org.nostrp2p.overlay;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.wire.GossipFrame;
import org.nostrp2p.overlay.wire.ProtocolException;
import org.nostrp2p.overlay.wire.ProtocolTag;
import org.nostrp2p.overlay.wire.WireCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Beyond mesh: a broadcast reaches every Java peer once, even while peers' views of the topology
 * differ (lazy push, as in Plumtree).
 *
 * <p>Mesh relays a broadcast along the tree each relay computes from its own view of the
 * topology. While links change, two views can disagree about who passes it to whom, and a peer
 * is left out or gets it twice. Here every Java peer that sends or relays a broadcast also tells
 * its other Java neighbours (those it did not send it to, nor got it from) the message's id, a
 * hash of channel, source and bytes, in a <em>have</em> (16 bytes an id). A neighbour that has
 * not had that message by the tree within a wait ({@link RepairWait}: how late tree copies
 * have come here, 30 ms until one has) asks the announcer for it
 * (<em>want</em>) and gets it (<em>data</em>), then delivers and relays it as if the tree had
 * brought it, announcing it in turn. A copy of a message already delivered is dropped, so each
 * peer hands each broadcast to its gossiper once. Go peers see none of it: the messages go only
 * to Java neighbours, on a channel of their own, and the tree stays mesh's.
 *
 * <p>Messages over {@link #MAX_MESSAGE_BYTES} go by the tree alone. What a peer remembers is bounded: ids seen for {@link #REMEMBER_NANOS} (at most
 * {@link #MAX_SEEN}), the messages it announced for as long (at most {@link #MAX_KEPT} and
 * {@link #MAX_KEPT_BYTES}), each served at most once to each neighbour, and at most
 * {@link #MAX_PENDING} announced ids it waits for. Malformed messages close the connection they
 * came on; answers nobody asked for and answers whose bytes do not hash to an id asked for are
 * dropped. Thread-safe.
 */
final class BroadcastRepair {

    /** The gossip channel haves, wants and data travel on (tag 4, between neighbours, never relayed). */
    static final String CHANNEL = "np2p-broadcast-repair";
    /**
     * How long an announced message may take to come by the tree before it is asked for, until
     * a tree copy has come after its have; then the wait follows how late they come
     * ({@link RepairWait}), between {@link #MIN_WAIT_NANOS} and {@link #MAX_WAIT_NANOS}.
     */
    static final long INITIAL_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(30);
    /** The shortest wait, however punctual the tree. */
    static final long MIN_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** The longest wait, however late the tree. */
    static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How long an announcer asked for a message has to answer before the next one is asked. */
    static final long ASK_AGAIN_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How long ids (and the messages announced) are remembered. */
    static final long REMEMBER_NANOS = TimeUnit.MINUTES.toNanos(1);
    static final int MAX_SEEN = 16_384;
    static final int MAX_KEPT = 1_024;
    static final long MAX_KEPT_BYTES = 4L << 20;
    /**
     * Messages larger than this go by mesh's tree alone: they are neither hashed, announced,
     * kept nor deduplicated (a flood of them would cost a hash each and the kept bytes).
     */
    static final int MAX_MESSAGE_BYTES = 256 * 1024;
    static final int MAX_PENDING = 1_024;
    static final int MAX_ANNOUNCERS = 4;
    /** Ids in one have or want. */
    static final int MAX_IDS = 256;
    static final int MAX_CHANNEL_NAME_BYTES = 1_024;

    private static final int ID_BYTES = 16;

    private static final Logger LOG = LoggerFactory.getLogger(BroadcastRepair.class);
    private static final RateLimitedLog RATE_LIMITED = new RateLimitedLog(LOG);
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    });

    /** @return whether {@code message} is small enough to be repaired (see {@link #MAX_MESSAGE_BYTES}) */
    static boolean repairs(byte[] message) {
        return message.length <= MAX_MESSAGE_BYTES;
    }

    /** A broadcast message's id: the first 16 bytes of SHA-256 over its channel, source and bytes. */
    record Id(long high, long low) {

        static Id of(String channel, PeerName source, byte[] message) {
            MessageDigest sha = SHA256.get();
            byte[] name = channel.getBytes(StandardCharsets.UTF_8);
            sha.update((byte) (name.length >>> 24));
            sha.update((byte) (name.length >>> 16));
            sha.update((byte) (name.length >>> 8));
            sha.update((byte) name.length);
            sha.update(name);
            sha.update(source.toBytes());
            byte[] hash = sha.digest(message);
            return new Id(bytesToLong(hash, 0), bytesToLong(hash, 8));
        }

        private static long bytesToLong(byte[] bytes, int offset) {
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | (bytes[offset + i] & 0xFF);
            }
            return value;
        }
    }

    /** Hands a message a neighbour answered with to its channel, as the tree would have. */
    interface Delivery {
        void deliver(Connection from, String channel, PeerName source, byte[] message, Id id);
    }

    private record Kept(String channel, PeerName source, byte[] message, long at, Set<Connection> servedTo) {
    }

    private static final class Pending {
        final List<Connection> announcers = new ArrayList<>(2);
        final long announcedAt;
        long askAt;

        Pending(long announcedAt) {
            this.announcedAt = announcedAt;
        }
    }

    private final PeerName self;
    private final ScheduledExecutorService timers;
    private final Delivery delivery;

    // Guarded by this.
    private final LinkedHashMap<Id, Long> seen = new LinkedHashMap<>();
    private final LinkedHashMap<Id, Kept> kept = new LinkedHashMap<>();
    private long keptBytes;
    private final LinkedHashMap<Id, Pending> pending = new LinkedHashMap<>();
    private final RepairWait wait = new RepairWait(INITIAL_WAIT_NANOS, MIN_WAIT_NANOS, MAX_WAIT_NANOS);
    // The next ask. A message announced now that is due sooner (the ask waiting may be an ask
    // again, a second away) moves it earlier; one chain of asks at a time, each run scheduling
    // the next.
    private ScheduledFuture<?> nextAsk;

    /**
     * @param self     this peer's name, the source of the frames it sends
     * @param timers   runs the asks for announced messages that did not come
     * @param delivery hands answered messages to their channel
     */
    BroadcastRepair(PeerName self, ScheduledExecutorService timers, Delivery delivery) {
        this.self = self;
        this.timers = timers;
        this.delivery = delivery;
    }

    /**
     * A message came (by the tree, or answered): whether it is the first time.
     *
     * @return false when this peer had it already: the copy is to be dropped
     */
    boolean firstSight(Id id) {
        long now = System.nanoTime();
        synchronized (this) {
            forgetOld(now);
            if (seen.containsKey(id)) {
                return false;
            }
            // announced before it came: by the tree (an answer leaves pending first), this late
            Pending p = pending.get(id);
            if (p != null) {
                wait.treeCopyLate(now - p.announcedAt);
            }
            seen.put(id, now);
            return true;
        }
    }

    /**
     * This peer sent or relayed {@code data} from {@code source} on {@code channel} along its
     * tree, to {@code hops}: keeps its messages to answer wants, and announces them to the Java
     * neighbours among {@code connections} the tree did not send them to, other than
     * {@code sender} (the neighbour it came from, this peer for its own) and the source.
     *
     * @param received   the message that came, whose id is known ({@code receivedId}), else null
     */
    void relayed(String channel, PeerName source, GossipData data, byte[] received, Id receivedId,
                 Collection<Connection> connections, List<PeerName> hops, PeerName sender) {
        List<byte[]> messages;
        try {
            messages = data.encode();
        } catch (RuntimeException e) {
            return; // each sender fails its connection over it
        }
        List<byte[]> repairable = new ArrayList<>(messages.size());
        List<Id> ids = new ArrayList<>(messages.size());
        for (byte[] message : messages) {
            if (repairs(message)) {
                repairable.add(message);
                ids.add(message == received && receivedId != null ? receivedId : Id.of(channel, source, message));
            }
        }
        if (repairable.isEmpty()) {
            return;
        }
        keep(channel, source, repairable, ids);
        List<byte[]> haves = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += MAX_IDS) {
            haves.add(have(ids.subList(from, Math.min(ids.size(), from + MAX_IDS))));
        }
        for (Connection connection : connections) {
            PeerName remote = connection.remoteName();
            if (connection.remoteIsJava() && !remote.equals(sender) && !remote.equals(source) && !hops.contains(remote)) {
                haves.forEach(have -> send(connection, have));
            }
        }
    }

    // Remembers the messages as seen, and keeps them to answer wants.
    private synchronized void keep(String channel, PeerName source, List<byte[]> messages, List<Id> ids) {
        long now = System.nanoTime();
        for (int i = 0; i < messages.size(); i++) {
            Id id = ids.get(i);
            seen.putIfAbsent(id, now);
            byte[] message = messages.get(i);
            if (!kept.containsKey(id)) {
                kept.put(id, new Kept(channel, source, message, now, Collections.newSetFromMap(new IdentityHashMap<>())));
                keptBytes += message.length;
            }
        }
        forgetOld(now);
    }

    /** A decoded repair message: a have or a want (ids), or data (channel, source, message). */
    record Message(int type, List<Id> ids, String channel, PeerName source, byte[] message) {
        static final int HAVE = 1;
        static final int WANT = 2;
        static final int DATA = 3;
    }

    /**
     * A repair message from a neighbour; its event loop.
     *
     * @throws ProtocolException for a malformed message (the connection is closed)
     */
    void receive(Connection from, byte[] data) {
        if (!from.remoteIsJava()) {
            return; // a Go peer never speaks it: nothing to answer, nothing to trust
        }
        Message message = decode(data);
        switch (message.type()) {
            case Message.HAVE -> announced(from, message.ids());
            case Message.WANT -> wanted(from, message.ids());
            default -> answered(from, message.channel(), message.source(), message.message());
        }
    }

    static byte[] have(List<Id> ids) {
        return idsMessage(Message.HAVE, ids);
    }

    static byte[] want(List<Id> ids) {
        return idsMessage(Message.WANT, ids);
    }

    static byte[] data(String channel, PeerName source, byte[] message) {
        byte[] name = channel.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 + 2 + name.length + 6 + message.length);
        out.write(Message.DATA);
        BoundedReader.writeVarint(out, name.length);
        out.writeBytes(name);
        out.writeBytes(source.toBytes());
        out.writeBytes(message);
        return out.toByteArray();
    }

    /** @throws ProtocolException for anything but exactly one well-formed message */
    static Message decode(byte[] data) {
        BoundedReader in = new BoundedReader("broadcast repair", data);
        int type = in.readByte();
        switch (type) {
            case Message.HAVE, Message.WANT -> {
                long count = in.readVarint();
                if (count > MAX_IDS || count * ID_BYTES != in.remaining()) {
                    throw new ProtocolException("broadcast repair: " + Long.toUnsignedString(count) + " ids in " + in.length()
                            + " bytes (at most " + MAX_IDS + ")");
                }
                List<Id> ids = new ArrayList<>((int) count);
                for (int i = 0; i < count; i++) {
                    ids.add(new Id(in.readLong(), in.readLong()));
                }
                in.expectEnd("last id");
                return new Message(type, ids, null, null, null);
            }
            case Message.DATA -> {
                long length = in.readVarint();
                if (length > MAX_CHANNEL_NAME_BYTES || length > in.remaining()) {
                    throw new ProtocolException("broadcast repair: a channel name of " + Long.toUnsignedString(length)
                            + " bytes in a message of " + in.length() + " (at most " + MAX_CHANNEL_NAME_BYTES + ")");
                }
                String channel = new String(in.readBytes((int) length), StandardCharsets.UTF_8);
                PeerName source = PeerName.fromBytes(in.readBytes(6));
                return new Message(type, List.of(), channel, source, in.readRest());
            }
            default -> throw new ProtocolException("broadcast repair: unknown message type " + type);
        }
    }

    private void announced(Connection from, List<Id> ids) {
        long now = System.nanoTime();
        long waitNanos;
        synchronized (this) {
            forgetOld(now);
            waitNanos = wait.nanos();
            for (Id id : ids) {
                if (seen.containsKey(id)) {
                    continue;
                }
                Pending p = pending.get(id);
                if (p == null) {
                    if (pending.size() >= MAX_PENDING) {
                        RATE_LIMITED.info("repair-pending", "[broadcast repair]: already waiting for {} announced messages;"
                                + " dropped an announcement from {}", MAX_PENDING, from.remoteName());
                        continue;
                    }
                    p = new Pending(now);
                    p.askAt = now + waitNanos;
                    pending.put(id, p);
                }
                if (p.announcers.size() < MAX_ANNOUNCERS && !p.announcers.contains(from)) {
                    p.announcers.add(from);
                }
            }
            if (!pending.isEmpty() && (nextAsk == null || nextAsk.getDelay(TimeUnit.NANOSECONDS) > waitNanos)) {
                scheduleAsk(waitNanos);
            }
        }
    }

    // Asks announcers for what the tree has not brought in time; runs on the timers.
    private void askDue() {
        long now = System.nanoTime();
        Map<Connection, List<Id>> asks = new IdentityHashMap<>();
        long next = Long.MAX_VALUE;
        synchronized (this) {
            for (Iterator<Map.Entry<Id, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Id, Pending> e = it.next();
                Pending p = e.getValue();
                if (seen.containsKey(e.getKey())) {
                    it.remove();
                    continue;
                }
                if (p.askAt - now > 0) {
                    next = Math.min(next, p.askAt - now);
                    continue;
                }
                Connection ask = null;
                while (ask == null && !p.announcers.isEmpty()) {
                    Connection c = p.announcers.remove(0);
                    if (!c.closing()) {
                        ask = c;
                    }
                }
                if (ask == null) {
                    it.remove(); // every announcer was asked (or left): the periodic paths are all that is left
                    continue;
                }
                asks.computeIfAbsent(ask, c -> new ArrayList<>()).add(e.getKey());
                p.askAt = now + ASK_AGAIN_NANOS;
                next = Math.min(next, ASK_AGAIN_NANOS);
            }
            if (next != Long.MAX_VALUE) {
                scheduleAsk(next);
            } else if (nextAsk != null) {
                nextAsk.cancel(false);
                nextAsk = null;
            }
        }
        asks.forEach((connection, ids) -> {
            for (int from = 0; from < ids.size(); from += MAX_IDS) {
                send(connection, want(ids.subList(from, Math.min(ids.size(), from + MAX_IDS))));
            }
        });
    }

    // Guarded by this: the one ask to come, in delayNanos (another one waiting is cancelled;
    // cancelling the ask that is running, which calls this, does nothing to it).
    private void scheduleAsk(long delayNanos) {
        if (nextAsk != null) {
            nextAsk.cancel(false);
        }
        try {
            nextAsk = timers.schedule(this::askDue, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            nextAsk = null; // the router is stopping
        }
    }

    private void wanted(Connection from, List<Id> ids) {
        List<Kept> answers = new ArrayList<>();
        synchronized (this) {
            for (Id id : ids) {
                Kept k = kept.get(id);
                // each neighbour gets a message once: a want cannot make this peer send it again and again
                if (k != null && k.servedTo.add(from)) {
                    answers.add(k);
                }
            }
        }
        for (Kept k : answers) {
            send(from, data(k.channel, k.source, k.message));
        }
    }

    private void answered(Connection from, String channel, PeerName source, byte[] message) {
        Id id = Id.of(channel, source, message);
        synchronized (this) {
            if (pending.remove(id) == null) {
                // not asked for, asked and given up, or bytes that are not what was announced
                RATE_LIMITED.info("repair-unasked", "[broadcast repair]: dropped a message nobody here asked for from {}",
                        from.remoteName());
                return;
            }
        }
        delivery.deliver(from, channel, source, message, id);
    }

    private static byte[] idsMessage(int type, List<Id> ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(2 + ids.size() * ID_BYTES);
        out.write(type);
        BoundedReader.writeVarint(out, ids.size());
        for (Id id : ids) {
            BoundedReader.writeLong(out, id.high());
            BoundedReader.writeLong(out, id.low());
        }
        return out.toByteArray();
    }

    private void send(Connection connection, byte[] message) {
        if (!connection.closing()) {
            connection.send(ProtocolTag.GOSSIP, WireCodec.encodeGossip(new GossipFrame(CHANNEL, self, message)));
        }
    }

    // Guarded by this: ids and kept messages past their time or over the bounds, oldest first.
    private void forgetOld(long now) {
        for (Iterator<Long> it = seen.values().iterator(); it.hasNext(); ) {
            long at = it.next();
            if (seen.size() <= MAX_SEEN && now - at < REMEMBER_NANOS) {
                break;
            }
            it.remove();
        }
        for (Iterator<Kept> it = kept.values().iterator(); it.hasNext(); ) {
            Kept k = it.next();
            if (kept.size() <= MAX_KEPT && keptBytes <= MAX_KEPT_BYTES && now - k.at < REMEMBER_NANOS) {
                break;
            }
            keptBytes -= k.message.length;
            it.remove();
        }
    }
}
