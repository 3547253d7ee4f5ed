package org.nostrp2p.rest.client;

/** The user's server could not be reached at all: the message says at which URL and what to check. */
public final class ServerUnreachableException extends RuntimeException {

    /**
     * @param url   the server's URL
     * @param cause what the connection attempt reported
     */
    public ServerUnreachableException(String url, Throwable cause) {
        super("cannot reach your server at " + url + " (" + describe(cause) + "); check that it runs "
                + "(nostrp2p serve) and that --server names its REST port (the overlay port + 1)", cause);
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }
}
