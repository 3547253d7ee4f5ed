package org.nostrp2p.archfixture.internal;

import org.nostrp2p.archfixture.LeakyApi;

/** A fixture: an internal type that depends back on the API package. */
public class Internal {
    LeakyApi owner;
}
