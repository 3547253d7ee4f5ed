package org.nostrp2p.rest.client;

/** The user's server could not be reached at all: the message says at which URL and what to check. */
public final class ServerUnreachableException extends RuntimeException {

    /**
     * @param url   the server's URL
     * @param cause what the connection attempt reported
     */
    public ServerUnreachableException(String url, Throwable cause) {
        super("Cannot reach your server at " + url + " (" + describe(cause) + "); check that it runs "
                + "(nostrp2p serve) and that --server names its REST port (the overlay port + 1)", cause);
    }

    private static String describe(Throwable cause) {
        if (cause instanceof java.net.ConnectException) {
            return "connection refused";
        }
        if (cause instanceof java.net.http.HttpConnectTimeoutException || cause instanceof java.util.concurrent.TimeoutException) {
            return "no answer in time";
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }
}
