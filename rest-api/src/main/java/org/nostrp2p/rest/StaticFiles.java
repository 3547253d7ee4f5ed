package org.nostrp2p.rest;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Serves the web client: the files under {@value #ROOT} on the class path (inside the jar),
 * on {@code GET} and {@code HEAD} of any path but the API's. Each file is read once and kept
 * in memory with its gzip form and a strong {@code ETag}; answers carry
 * {@code Cache-Control: no-cache} (the browser revalidates and gets 304 while the jar is the
 * same, so an upgraded server never mixes old and new files), gzip when accepted, and a
 * Content-Security-Policy that lets the page load scripts, styles and connections from its
 * own origin only. Other requests go to the next handler.
 */
final class StaticFiles implements HttpHandler {

    /** Where the files live on the class path. */
    static final String ROOT = "org/nostrp2p/rest/web";
    /** A file larger than this is not served (the whole client is about 150 KiB). */
    static final int MAX_FILE_BYTES = 4 * 1024 * 1024;
    /** The longest path looked up. */
    static final int MAX_PATH_CHARS = 200;

    /** Paths that belong to the API, never to the files. */
    private static final Set<String> API_PATHS = Set.of("/publish", "/req", StatusHandler.PATH);
    private static final Pattern SAFE_PATH = Pattern.compile("(/[A-Za-z0-9_-][A-Za-z0-9._-]*)+");
    private static final HttpString CSP = HttpString.tryFromString("Content-Security-Policy");
    private static final HttpString NOSNIFF = HttpString.tryFromString("X-Content-Type-Options");
    private static final HttpString REFERRER_POLICY = HttpString.tryFromString("Referrer-Policy");
    /**
     * Scripts, styles and connections only from the page's own origin. Pictures from anywhere:
     * profile pictures are URLs on other sites, which the page loads only when the user turns
     * them on in its settings.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data: https: http:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "frame-ancestors 'none'; form-action 'none'";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "json", "application/json",
            "webmanifest", "application/manifest+json",
            "txt", "text/plain; charset=utf-8");

    /** One file, ready to send. */
    private record Asset(String contentType, byte[] plain, byte[] gzip, String etag) {
    }

    private final HttpHandler next;
    private final ClassLoader loader;
    // Holds only files that exist under ROOT, so it is bounded by the jar's content.
    private final Map<String, Asset> assets = new ConcurrentHashMap<>();

    StaticFiles(HttpHandler next) {
        this.next = next;
        this.loader = StaticFiles.class.getClassLoader();
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String path = exchange.getRelativePath();
        boolean get = exchange.getRequestMethod().equals(Methods.GET);
        if (!(get || exchange.getRequestMethod().equals(Methods.HEAD)) || API_PATHS.contains(path)) {
            next.handleRequest(exchange);
            return;
        }
        Cors.decorate(exchange);
        Asset asset = find(path.isEmpty() || path.equals("/") ? "/index.html" : path);
        if (asset == null) {
            ApiHandler.error(exchange, 404, "no such file or endpoint: " + abbreviate(path)
                    + " (the web client is at /, the API is POST /publish, POST /req and GET /status)");
            return;
        }
        var out = exchange.getResponseHeaders();
        boolean gzip = asset.gzip != null && ApiHandler.acceptsGzip(exchange.getRequestHeaders().getFirst(Headers.ACCEPT_ENCODING));
        // The gzip form is another representation, so it gets its own tag.
        String etag = gzip ? asset.etag.substring(0, asset.etag.length() - 1) + "-gz\"" : asset.etag;
        out.put(Headers.ETAG, etag);
        out.put(Headers.CACHE_CONTROL, "no-cache");
        out.add(Headers.VARY, "Accept-Encoding");
        out.put(CSP, CONTENT_SECURITY_POLICY);
        out.put(NOSNIFF, "nosniff");
        out.put(REFERRER_POLICY, "no-referrer");
        if (matches(exchange.getRequestHeaders().getFirst(Headers.IF_NONE_MATCH), etag)) {
            exchange.setStatusCode(304);
            exchange.endExchange();
            return;
        }
        byte[] body = gzip ? asset.gzip : asset.plain;
        if (gzip) {
            out.put(Headers.CONTENT_ENCODING, "gzip");
        }
        out.put(Headers.CONTENT_TYPE, asset.contentType);
        out.put(Headers.CONTENT_LENGTH, body.length);
        exchange.setStatusCode(200);
        if (get) {
            exchange.getResponseSender().send(ByteBuffer.wrap(body));
        } else {
            exchange.endExchange();
        }
    }

    private Asset find(String path) {
        if (path.length() > MAX_PATH_CHARS || !SAFE_PATH.matcher(path).matches()) {
            return null;
        }
        Asset known = assets.get(path);
        if (known != null) {
            return known;
        }
        int dot = path.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(path.substring(dot + 1).toLowerCase(Locale.ROOT));
        URL url = type == null ? null : loader.getResource(ROOT + path);
        if (url == null) {
            return null;
        }
        byte[] plain;
        try (InputStream in = url.openStream()) {
            plain = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (IOException e) {
            // A directory inside the jar, or a file that cannot be read: not servable.
            return null;
        }
        if (plain.length > MAX_FILE_BYTES) {
            return null;
        }
        byte[] gzip = null;
        if (!type.startsWith("image/png")) {
            byte[] packed = ApiHandler.gzip(plain);
            gzip = packed.length < plain.length ? packed : null;
        }
        Asset asset = new Asset(type, plain, gzip, "\"" + sha256Prefix(plain) + "\"");
        assets.putIfAbsent(path, asset);
        return asset;
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals(etag) || tag.equals("*")) {
                return true;
            }
        }
        return false;
    }

    private static String sha256Prefix(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }

    private static String abbreviate(String path) {
        return path.length() <= 80 ? path : path.substring(0, 80) + "…";
    }
}
