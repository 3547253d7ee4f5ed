package org.nostrp2p.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * interop/meshpeer, the Go mesh peer program, built once per JVM in GOPATH mode (as
 * {@code GoNp2pPeer} and overlay-core's {@code GoBuild} do) against Debian's weaveworks/mesh, or
 * against the GOPATH named by {@code -Dinterop.gopath} (e.g. one holding mesh 58dbcc3), into
 * {@code cli/target/go-bin/}. Skips the calling test, with a message, when {@code go} is missing.
 */
final class GoMeshPeerProgram {

    private static final String DEBIAN_GOPATH = "/usr/share/gocode";
    private static Path binary;

    private GoMeshPeerProgram() {
    }

    /** @return the mesh version label of the GOPATH the program builds against */
    static String implLabel() {
        return System.getProperty("interop.gopath") == null ? "go-2018" : "go-2019";
    }

    /** @return the built program; the calling test is skipped when go is not installed */
    static synchronized Path build() throws IOException, InterruptedException {
        if (binary != null) {
            return binary;
        }
        Path module = Path.of("").toAbsolutePath();
        Path source = module.resolveSibling("interop").resolve("meshpeer");
        String meshGopath = System.getProperty("interop.gopath", DEBIAN_GOPATH);
        Path target = module.resolve("target").resolve("go-bin").resolve(Integer.toHexString(meshGopath.hashCode()))
                .resolve("meshpeer");
        Path gopath = module.resolve("target").resolve("go-path");
        Files.createDirectories(target.getParent());
        Files.createDirectories(gopath);
        ProcessBuilder go = new ProcessBuilder("go", "build", "-o", target.toString(), ".").directory(source.toFile())
                .redirectErrorStream(true);
        go.environment().put("GO111MODULE", "off");
        // Debian's GOPATH last: another mesh copy still finds golang.org/x/crypto there.
        go.environment().put("GOPATH", gopath + ":" + meshGopath
                + (meshGopath.equals(DEBIAN_GOPATH) ? "" : ":" + DEBIAN_GOPATH));
        go.environment().putIfAbsent("GOCACHE", module.resolve("target").resolve("go-cache").toString());
        Process p;
        try {
            p = go.start();
        } catch (IOException e) {
            Assumptions.abort("go is not installed, so the mixed Java + Go overlay is not tested here (CI installs"
                    + " golang-go and golang-github-weaveworks-mesh-dev: see .ci/run): " + e.getMessage());
            throw e;
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("go build of " + source + " against GOPATH " + meshGopath
                    + " failed (needs golang-github-weaveworks-mesh-dev):\n" + output);
        }
        binary = target;
        return binary;
    }
}
