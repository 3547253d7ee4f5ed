package org.nostrp2p.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.model.Events;
import org.nostrp2p.model.codec.EventJson;
import org.nostrp2p.model.crypto.SecretKey;
import org.nostrp2p.store.SqliteEventStore;

/** HTTPS from PEM files as certbot writes them (a key pair made by the JDK's keytool). */
class TlsTest {

    @TempDir
    Path dir;

    @Test
    void theApiIsServedOverHttpsFromFullchainAndPrivkeyPemFiles() throws Exception {
        KeyStore keys = selfSignedKeyStore();
        Certificate certificate = keys.getCertificate("server");
        Key key = keys.getKey("server", "secret".toCharArray());
        Path fullchain = dir.resolve("fullchain.pem");
        Path privkey = dir.resolve("privkey.pem");
        Files.writeString(fullchain, pem("CERTIFICATE", certificate.getEncoded()));
        Files.writeString(privkey, pem("PRIVATE KEY", key.getEncoded()));
        SecretKey user = SecretKey.generate();

        try (SqliteEventStore store = SqliteEventStore.inMemory()) {
            RestServer server = RestServer.builder().backend(new StoreBackend(store, user.publicKey().toHex()))
                    .listen("127.0.0.1", 0).tls(fullchain, privkey).build();
            server.start();
            try {
                assertTrue(server.url().startsWith("https://127.0.0.1:"));
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                trust.setCertificateEntry("server", certificate);
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
                SSLContext tls = SSLContext.getInstance("TLS");
                tls.init(null, tmf.getTrustManagers(), null);
                FlutterClient client = new FlutterClient(server.url(), HttpClient.newBuilder().sslContext(tls).build());

                var event = Events.sign(user, 1_700_000_000L, 1, List.of(), "over TLS");
                assertEquals(200, client.post("/publish", EventJson.write(event), false).statusCode());
                assertEquals("over TLS", client.req("{\"kinds\":[40000],\"since\":0}").get(0).content());
            } finally {
                server.stop();
            }
        }
    }

    @Test
    void theRelayIsServedOverWssWithTheSameCertificate() throws Exception {
        KeyStore keys = selfSignedKeyStore();
        Certificate certificate = keys.getCertificate("server");
        Path fullchain = dir.resolve("fullchain.pem");
        Path privkey = dir.resolve("privkey.pem");
        Files.writeString(fullchain, pem("CERTIFICATE", certificate.getEncoded()));
        Files.writeString(privkey, pem("PRIVATE KEY", keys.getKey("server", "secret".toCharArray()).getEncoded()));
        SecretKey user = SecretKey.generate();
        try (SqliteEventStore store = SqliteEventStore.inMemory()) {
            RestServer server = RestServer.builder().backend(new StoreBackend(store, user.publicKey().toHex()))
                    .listen("127.0.0.1", 0).tls(fullchain, privkey).build();
            server.start();
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("server", certificate);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, tmf.getTrustManagers(), null);
            try (org.nostrp2p.rest.client.RelayClient relay = org.nostrp2p.rest.client.RelayClient.connect(
                    server.url(), HttpClient.newBuilder().sslContext(tls).build())) {
                var event = Events.sign(user, 1_700_000_000L, 1, List.of(), "over wss");

                var ok = relay.publish(event).get(30, TimeUnit.SECONDS);

                assertTrue(ok.accepted(), ok.message());
                assertTrue(store.get(event.id()).isPresent());
            } finally {
                server.stop();
            }
        }
    }

    @Test
    void unusableTlsFilesAreRefusedAtStartWithTheFileNames() throws Exception {
        Path fullchain = dir.resolve("fullchain.pem");
        Path privkey = dir.resolve("privkey.pem");
        Files.writeString(fullchain, "not a certificate");
        Files.writeString(privkey, "not a key");
        try (SqliteEventStore store = SqliteEventStore.inMemory()) {
            RestServer server = RestServer.builder().backend(new StoreBackend(store, "00".repeat(32)))
                    .listen("127.0.0.1", 0).tls(fullchain, privkey).build();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, server::start);
            assertTrue(e.getMessage().contains("fullchain.pem"), e.getMessage());
        }
    }

    private KeyStore selfSignedKeyStore() throws Exception {
        Path p12 = dir.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "RSA",
                "-keysize", "2048", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", p12.toString(), "-storepass", "secret", "-keypass", "secret")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, output);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            store.load(in, "secret".toCharArray());
        }
        return store;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
