package org.nostrp2p.overlay.wire;

import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.util.Pack;

/**
 * NaCl's HSalsa20 (what {@code crypto_box_beforenm} applies to the Curve25519 shared
 * secret), taken from Bouncy Castle's XSalsa20: initialising an XSalsa20 engine with key
 * {@code k} and nonce {@code n} computes the subkey HSalsa20({@code k}, {@code n[0..16)})
 * into its state words 1–4 and 11–14, which this subclass reads back. No primitive is
 * written here. Not thread-safe; each call uses a fresh engine.
 */
final class HSalsa20 extends XSalsa20Engine {

    private HSalsa20() {
    }

    /**
     * @param key   32 bytes
     * @param input 16 bytes (HSalsa20's nonce input)
     * @return the 32-byte HSalsa20 output
     */
    static byte[] hash(byte[] key, byte[] input) {
        if (key.length != 32 || input.length != 16) {
            throw new IllegalArgumentException("HSalsa20 takes a 32-byte key and a 16-byte input");
        }
        byte[] nonce = new byte[24];
        System.arraycopy(input, 0, nonce, 0, 16);
        HSalsa20 engine = new HSalsa20();
        engine.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        byte[] out = new byte[32];
        Pack.intToLittleEndian(engine.engineState, 1, 4, out, 0);
        Pack.intToLittleEndian(engine.engineState, 11, 4, out, 16);
        return out;
    }
}
