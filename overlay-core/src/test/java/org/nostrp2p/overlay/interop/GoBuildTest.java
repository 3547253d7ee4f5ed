package org.nostrp2p.overlay.interop;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the interop harness says when it cannot build the Go programs. */
class GoBuildTest {

    @Test
    void aGopathWithoutMeshFailsNamingTheDebianPackage(@TempDir Path emptyGopath) {
        String previous = System.getProperty(GoBuild.GOPATH_PROPERTY);
        System.setProperty(GoBuild.GOPATH_PROPERTY, emptyGopath.toString());
        try {
            IllegalStateException failure = assertThrows(IllegalStateException.class, () -> GoBuild.program("meshpeer"));
            String message = failure.getMessage();
            assertTrue(message.contains(GoBuild.goAvailable() ? "golang-github-weaveworks-mesh-dev" : "golang-go"), message);
        } finally {
            if (previous == null) {
                System.clearProperty(GoBuild.GOPATH_PROPERTY);
            } else {
                System.setProperty(GoBuild.GOPATH_PROPERTY, previous);
            }
        }
    }

    @Test
    void aProgramThatDoesNotCompileFailsWithGosOutput(@TempDir Path interop) throws Exception {
        Files.createDirectories(interop.resolve("broken"));
        Files.writeString(interop.resolve("broken").resolve("main.go"), "package main\nfunc main() { undefined() }\n");
        String previous = System.getProperty("interop.dir");
        System.setProperty("interop.dir", interop.toString());
        try {
            IllegalStateException failure = assertThrows(IllegalStateException.class, () -> GoBuild.program("broken"));
            assertTrue(failure.getMessage().contains("undefined"), failure.getMessage());
        } finally {
            if (previous == null) {
                System.clearProperty("interop.dir");
            } else {
                System.setProperty("interop.dir", previous);
            }
        }
    }
}
