package org.nostrp2p.overlay.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The encrypted-frame codec alone, one thread: sealing a frame, and sealing then opening it
 * (the receiver's work is the difference), in ns per frame.
 * Run: {@code mvn -B -Pbench -pl overlay-core verify -DskipTests -Dbench=SecretBoxBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SecretBoxBenchmark {

    @Param({"512"})
    public int payloadBytes;

    private SecretBoxCodec dialler;
    private SecretBoxCodec listener;
    private ByteBuf payload;

    @Setup
    public void setUp() {
        SessionKey.KeyPair a = SessionKey.generateKeyPair();
        SessionKey.KeyPair b = SessionKey.generateKeyPair();
        byte[] password = "bench".getBytes(StandardCharsets.UTF_8);
        dialler = new SecretBoxCodec(SessionKey.form(b.publicKey(), a.privateKey(), password), true);
        listener = new SecretBoxCodec(SessionKey.form(a.publicKey(), b.privateKey(), password), false);
        payload = Unpooled.wrappedBuffer(new byte[payloadBytes]);
    }

    @Benchmark
    public byte[] seal() {
        return dialler.seal(payload);
    }

    @Benchmark
    public byte[] sealAndOpen() {
        return listener.open(Unpooled.wrappedBuffer(dialler.seal(payload)));
    }

    @Benchmark
    public byte[] formSessionKey() {
        SessionKey.KeyPair a = SessionKey.generateKeyPair();
        return SessionKey.form(a.publicKey(), a.privateKey(), new byte[] {1});
    }
}
