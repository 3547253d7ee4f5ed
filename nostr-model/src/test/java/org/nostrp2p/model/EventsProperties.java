package org.nostrp2p.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.nostrp2p.model.codec.EventJson;
import org.nostrp2p.model.codec.Np2pCodec;
import org.nostrp2p.model.crypto.SecretKey;

class EventsProperties {
    private static final SecretKey KEY = SecretKey.generate();

    @Provide
    Arbitrary<String> text() {
        return ModelArbitraries.text(300);
    }

    @Provide
    Arbitrary<List<List<String>>> tags() {
        return ModelArbitraries.tags();
    }

    @Property(tries = 100)
    void anySignedEventVerifiesAfterMessagePackAndJson(@ForAll("text") String content,
                                                       @ForAll("tags") List<List<String>> tags) {
        Event event = Events.sign(KEY, 1732492800L, 1, tags, content);
        assertTrue(event.verify());
        assertTrue(Np2pCodec.decodeEvent(Np2pCodec.encodeEvent(event)).verify());
        assertTrue(EventJson.parse(EventJson.write(event)).verify());
    }
}
