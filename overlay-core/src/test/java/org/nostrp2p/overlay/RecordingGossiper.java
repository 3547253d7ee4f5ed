package org.nostrp2p.overlay;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.nostrp2p.overlay.name.PeerName;

/** A gossiper that records what reaches it and passes every broadcast on, as a mesh application does. */
final class RecordingGossiper implements Gossiper {

    /** One message received. */
    record Received(String kind, PeerName source, String text) {
    }

    final List<Received> received = new CopyOnWriteArrayList<>();

    @Override
    public GossipData gossip() {
        return null;
    }

    @Override
    public GossipData onGossip(byte[] message) {
        received.add(new Received("gossip", null, new String(message, StandardCharsets.UTF_8)));
        return null;
    }

    @Override
    public GossipData onGossipBroadcast(PeerName source, byte[] update) {
        received.add(new Received("broadcast", source, new String(update, StandardCharsets.UTF_8)));
        return GossipData.ofMessages(update);
    }

    @Override
    public void onGossipUnicast(PeerName source, byte[] message) {
        received.add(new Received("unicast", source, new String(message, StandardCharsets.UTF_8)));
    }

    long count(String kind, String text) {
        return received.stream().filter(r -> r.kind().equals(kind) && r.text().equals(text)).count();
    }
}
