package org.nostrp2p.overlay.wire;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.interop.GoBuild;

/**
 * Encrypted frames captured between two real Go mesh routers (interop/cryptovectors):
 * Java opens what Go sealed and seals what Go opened to the same bytes, from the committed
 * vectors and, when go is installed, from a fresh capture.
 */
class SecretBoxVectorsTest {

    @Test
    void framesGoSealedOpenInJavaAndJavasSealedFramesAreTheBytesGoOpened() throws IOException {
        SecretBoxVectors.check(SecretBoxVectors.committed());
    }

    @Test
    void aFreshCaptureFromGoChecksTheSame() throws IOException {
        assumeTrue(GoBuild.goAvailable(), "go is not installed; the committed vectors stand in");
        SecretBoxVectors.check(SecretBoxVectors.JSON.readTree(GoBuild.run("cryptovectors", "", List.of())));
    }
}
