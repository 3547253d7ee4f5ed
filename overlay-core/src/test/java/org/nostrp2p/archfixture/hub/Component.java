package org.nostrp2p.archfixture.hub;

/**
 * A fixture that breaks the hub rule, as {@code Connection} did: the component itself names
 * only a narrow {@code Supplier}, but its nested handler reaches back into the hub.
 */
public class Component {
    private final java.util.function.Supplier<String> name;

    /** @param name the one thing the component needs */
    public Component(java.util.function.Supplier<String> name) {
        this.name = name;
    }

    /** @return the name it was given */
    public String name() {
        return name.get();
    }

    /** The nested class the rule must see too. */
    static final class Handler {
        String hubName(Hub hub) {
            return hub.name();
        }
    }
}
