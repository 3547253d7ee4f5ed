package org.nostrp2p.archfixture;

import java.util.List;
import org.nostrp2p.archfixture.internal.Internal;

/** A fixture that breaks both architecture rules: it exposes an internal type, and the two packages form a cycle. */
public class LeakyApi {
    /** @return internal types inside a generic: what the signature rule must see through */
    public List<Internal> internals() {
        return List.of();
    }
}
