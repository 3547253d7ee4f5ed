package org.nostrp2p.cli;

import ch.qos.logback.classic.Level;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.nostrp2p.model.crypto.PublicKey;
import org.nostrp2p.overlay.PeerAddress;
import org.nostrp2p.server.NostrP2PServer;
import org.nostrp2p.store.StoreException;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nostrp2p serve} (alias {@code server}, the Go command's name): runs a NostrP2P server
 * until SIGINT or SIGTERM. The Go command's flags, long and short, plus repeatable {@code -b},
 * {@code --tls-cert}/{@code --tls-key} and {@code --data-dir}.
 */
@Command(name = "serve", aliases = "server", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Startup server: join the overlay and serve your client's REST API on the overlay port + 1.")
final class ServeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-p", "--public-key"}, paramLabel = "npub|hex",
            description = "Your public key (required; make a key pair with: nostrp2p genkey).")
    String publicKey;

    @Option(names = {"-l", "--listen-addr-port"}, paramLabel = "host:port", defaultValue = "127.0.0.1:20000",
            description = "Address and port of the overlay (default: ${DEFAULT-VALUE}); the REST API takes the next port.")
    String listen;

    @Option(names = {"-b", "--boot-peer-addr-port"}, paramLabel = "host:port", split = ",",
            description = "A server already in the network, to join through (repeatable).")
    List<String> bootstrapPeers = new ArrayList<>();

    @Option(names = {"-s", "--ssl"}, description = "Serve the REST API over HTTPS with fullchain.pem and privkey.pem of the working directory.")
    boolean tls;

    @Option(names = "--tls-cert", paramLabel = "file", description = "The certificate chain (PEM) for HTTPS; implies -s.")
    Path tlsCertificate;

    @Option(names = "--tls-key", paramLabel = "file", description = "The private key (PEM, PKCS#8 or RSA) for HTTPS; implies -s.")
    Path tlsKey;

    @Option(names = {"-w", "--writable"}, arity = "0..1", defaultValue = "true", fallbackValue = "true", paramLabel = "true|false",
            description = "Whether the client may publish (default: true); -w false or -w=false serves read-only.")
    boolean writable;

    @Option(names = {"-d", "--debug"}, description = "Log what the server does in detail.")
    boolean debug;

    @Option(names = "--data-dir", paramLabel = "dir",
            description = "Where the database lives (default: a directory named after your key, in the working directory, as the Go server does).")
    Path dataDirectory;

    @Option(names = "--rest-addr-port", paramLabel = "host:port", description = "Where the REST API listens (default: the overlay's host, its port + 1).")
    String restAddress;

    @Option(names = "--password-file", paramLabel = "file",
            description = "Encrypt the overlay with the mesh password in this file (one trailing newline is ignored): "
                    + "only servers with the same password can join. Never give the password itself on the command line.")
    Path passwordFile;

    @Option(names = "--log-file", paramLabel = "file",
            description = "Also write the log to this file, rolled over at 10 MB, 5 old files kept.")
    Path logFile;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (publicKey == null || publicKey.isBlank()) {
            err.println("Missing your public key: nostrp2p serve -p <npub or hex>.");
            err.println("No key pair yet? Make one with: nostrp2p genkey (give the server the public key; keep the secret key for your client).");
            return 2;
        }
        if (debug) {
            org.slf4j.Logger logger = LoggerFactory.getLogger("org.nostrp2p");
            // Logback is optional (the runnable jar has it); with another backend, -d changes nothing.
            if (logger.getClass().getName().equals("ch.qos.logback.classic.Logger")) {
                ((ch.qos.logback.classic.Logger) logger).setLevel(Level.DEBUG);
            } else {
                err.println("-d: the logging backend in use (" + logger.getClass().getName() + ") is not Logback; configure its level yourself.");
            }
        }
        if (logFile != null) {
            org.nostrp2p.cli.logging.LogFile.writeTo(logFile);
        }
        NostrP2PServer server;
        try {
            NostrP2PServer.Builder builder = NostrP2PServer.builder()
                    .publicKey(PublicKey.parse(publicKey.trim()))
                    .bootstrapPeers(bootstrapPeers)
                    .writable(writable);
            PeerAddress overlay = address(listen, "-l");
            builder.listen(overlay.host(), overlay.port());
            if (restAddress != null) {
                PeerAddress rest = address(restAddress, "--rest-addr-port");
                builder.restAddress(rest.host(), rest.port());
            }
            if (tls || tlsCertificate != null || tlsKey != null) {
                Path certificate = tlsCertificate != null ? tlsCertificate : Path.of("fullchain.pem");
                Path key = tlsKey != null ? tlsKey : Path.of("privkey.pem");
                for (Path file : List.of(certificate, key)) {
                    if (!Files.isReadable(file)) {
                        err.println("Cannot read " + file.toAbsolutePath() + ": HTTPS needs the certificate chain and the private key as PEM files "
                                + "(fullchain.pem and privkey.pem in the working directory, or --tls-cert and --tls-key).");
                        return 2;
                    }
                }
                builder.tls(certificate, key);
            }
            if (dataDirectory != null) {
                builder.dataDirectory(dataDirectory);
            }
            if (passwordFile != null) {
                builder.meshPassword(MeshPasswordFile.read(passwordFile));
                if (MeshPasswordFile.readableByOthers(passwordFile)) {
                    err.println("Warning: other users of this machine can read " + passwordFile
                            + "; make it private with: chmod 600 " + passwordFile);
                }
            }
            server = builder.build();
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        try {
            server.start();
        } catch (StoreException e) {
            err.println("Cannot open the database: " + e.getMessage());
            err.println("Is another server running with the same key or data directory?");
            return 1;
        } catch (RuntimeException e) {
            err.println("Cannot start the server: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            stopped.countDown();
        }, "nostrp2p-shutdown"));
        out.println("NostrP2P server started");
        out.println("public key: " + PublicKey.parse(server.publicKeyHex()).toNpub());
        out.println("peer name:  " + server.peerName());
        out.println("overlay:    " + server.overlayAddress());
        out.println("REST API:   " + server.restUrl());
        out.println("data:       " + server.dataDirectory());
        if (passwordFile != null) {
            out.println("overlay encrypted with the mesh password in " + passwordFile + ": only peers with it can join");
        }
        if (!writable) {
            out.println("read-only:  the client's writes are refused");
        }
        String jvmHint = DaemonJvm.hint();
        if (jvmHint != null) {
            err.println(jvmHint);
            err.flush();
        }
        out.println("Stop it with Ctrl-C.");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.stop();
        }
        return 0;
    }

    // an option's host:port, read as the overlay reads addresses; the error names the option
    private static PeerAddress address(String text, String option) {
        try {
            return PeerAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " takes host:port or [v6]:port, got '" + text + "'", e);
        }
    }
}
