package org.nostrp2p.archfixture.hub;

/** A fixture: the hub every component should be kept from (as the router is from a connection). */
public class Hub {
    /** @return the hub's name */
    public String name() {
        return "hub";
    }
}
