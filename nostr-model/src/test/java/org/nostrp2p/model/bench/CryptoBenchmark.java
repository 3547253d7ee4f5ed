package org.nostrp2p.model.bench;

import fr.acinq.secp256k1.Secp256k1;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Events;
import org.nostrp2p.model.crypto.Schnorr;
import org.nostrp2p.model.crypto.SecretKey;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * BIP-340 through our API against raw libsecp256k1 (ACINQ's JNI) in the same run: our
 * {@code Schnorr.verify} must stay at 90% or more of the raw call. {@code eventVerify} adds
 * the NIP-01 id check (serialize + sha256) to the signature check, what a server does per event.
 *
 * <p>The {@code pairedVerify} and {@code pairedSign} groups run ours and raw at the same time,
 * one thread each, so both see the same machine: on a shared, loaded machine their ratio is the
 * fair figure, where two runs one after the other may see different loads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CryptoBenchmark {
    private Secp256k1 raw;
    private byte[] secretKey;
    private byte[] publicKey;
    private byte[] message;
    private byte[] auxRand;
    private byte[] signature;
    private SecretKey key;
    private Event event;

    @Setup
    public void setUp() {
        raw = Secp256k1.get();
        key = SecretKey.generate();
        secretKey = key.bytes();
        publicKey = key.publicKey().bytes();
        event = Events.sign(key, 1732492800L, 1,
                List.of(List.of("e", "a".repeat(64), "", "root"), List.of("p", "b".repeat(64))),
                "a typical post of a hundred characters or so, with an emoji 🌏 and some 日本語 text in it.");
        message = event.id();
        signature = event.sig();
        auxRand = new byte[32];
    }

    @Benchmark
    public boolean verifyRaw() {
        return raw.verifySchnorr(signature, message, publicKey);
    }

    @Benchmark
    public boolean verifyOurs() {
        return Schnorr.verify(signature, message, publicKey);
    }

    @Benchmark
    public boolean eventVerify() {
        return Events.verify(event);
    }

    @Benchmark
    public byte[] signRaw() {
        return raw.signSchnorr(message, secretKey, auxRand);
    }

    @Benchmark
    public byte[] signOurs() {
        return Schnorr.sign(message, secretKey, auxRand);
    }

    @Benchmark
    @Group("pairedVerify")
    @GroupThreads(1)
    public boolean pairedVerifyRaw() {
        return raw.verifySchnorr(signature, message, publicKey);
    }

    @Benchmark
    @Group("pairedVerify")
    @GroupThreads(1)
    public boolean pairedVerifyOurs() {
        return Schnorr.verify(signature, message, publicKey);
    }

    @Benchmark
    @Group("pairedSign")
    @GroupThreads(1)
    public byte[] pairedSignRaw() {
        return raw.signSchnorr(message, secretKey, auxRand);
    }

    @Benchmark
    @Group("pairedSign")
    @GroupThreads(1)
    public byte[] pairedSignOurs() {
        return Schnorr.sign(message, secretKey, auxRand);
    }

    @Benchmark
    public Event eventSign() {
        return Events.sign(key, 1732492800L, 1, List.of(), "hello");
    }
}
