package org.nostrp2p.overlay.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Builds the Go programs under {@code interop/} once per JVM, in GOPATH mode against
 * Debian's weaveworks/mesh ({@code /usr/share/gocode}) or the copy in the GOPATH named by
 * the system property {@code interop.gopath} (Debian's GOPATH still supplies the rest,
 * e.g. golang.org/x/crypto), into {@code overlay-core/target/go-bin/}. Fails with a
 * message saying what to install when go or the mesh package is missing. Thread-safe.
 */
public final class GoBuild {

    /** System property: a GOPATH holding src/github.com/weaveworks/mesh (default Debian's). */
    public static final String GOPATH_PROPERTY = "interop.gopath";
    private static final String DEBIAN_GOPATH = "/usr/share/gocode";
    private static final Map<String, Path> BUILT = new ConcurrentHashMap<>();

    private GoBuild() {
    }

    /** @return the GOPATH the programs build against */
    public static String meshGopath() {
        return System.getProperty(GOPATH_PROPERTY, DEBIAN_GOPATH);
    }

    /** @return whether a go tool answers {@code go version} */
    public static boolean goAvailable() {
        try {
            Process p = new ProcessBuilder("go", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * @param program a directory under {@code interop/}, e.g. {@code meshpeer}
     * @return the built executable
     * @throws IllegalStateException when go or weaveworks/mesh is missing, or the build fails
     */
    public static Path program(String program) {
        return BUILT.computeIfAbsent(meshGopath() + "|" + program, key -> build(program));
    }

    /** @return the repository's {@code interop/} directory */
    public static Path interopDir() {
        Path dir = Paths.get(System.getProperty("interop.dir", "../interop")).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("the Go interop programs are not at " + dir
                    + " (run the tests from overlay-core, or set -Dinterop.dir)");
        }
        return dir;
    }

    private static Path build(String program) {
        if (!goAvailable()) {
            throw new IllegalStateException("the interop tests need Go: install golang-go"
                    + " (Debian: apt-get install golang-go golang-github-weaveworks-mesh-dev"
                    + " golang-github-vmihailenco-msgpack.v5-dev; .ci/run does this)");
        }
        String gopath = meshGopath();
        Path mesh = Paths.get(gopath, "src", "github.com", "weaveworks", "mesh");
        if (!Files.isDirectory(mesh)) {
            throw new IllegalStateException("weaveworks/mesh is not at " + mesh
                    + " (install golang-github-weaveworks-mesh-dev, or point -D" + GOPATH_PROPERTY
                    + " at a GOPATH holding src/github.com/weaveworks/mesh)");
        }
        Path target = Paths.get("target").toAbsolutePath();
        Path binDir = target.resolve("go-bin").resolve(Integer.toHexString(gopath.hashCode()));
        Path scratchGopath = target.resolve("go-path");
        Path out = binDir.resolve(program);
        try {
            Files.createDirectories(binDir);
            Files.createDirectories(scratchGopath);
            ProcessBuilder pb = new ProcessBuilder("go", "build", "-o", out.toString(), ".")
                    .directory(interopDir().resolve(program).toFile())
                    .redirectErrorStream(true);
            pb.environment().put("GO111MODULE", "off");
            // Debian's GOPATH last: another mesh copy still finds golang.org/x/crypto there.
            pb.environment().put("GOPATH", scratchGopath + ":" + gopath
                    + (gopath.equals(DEBIAN_GOPATH) ? "" : ":" + DEBIAN_GOPATH));
            pb.environment().put("GOFLAGS", "");
            String home = System.getenv("HOME");
            if (System.getenv("GOCACHE") == null && (home == null || !Files.isWritable(Paths.get(home)))) {
                // go needs a build cache; without a usable home, keep it beside the binaries
                pb.environment().put("GOCACHE", target.resolve("go-cache").toString());
            }
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("go build of interop/" + program + " took over 5 minutes");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("go build of interop/" + program + " against GOPATH " + gopath
                        + " failed:\n" + output);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot build interop/" + program + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building interop/" + program, e);
        }
    }

    /**
     * Runs a built program to completion.
     *
     * @param program the program's directory name under {@code interop/}
     * @param stdin   what to write on its standard input
     * @param args    its arguments
     * @return its standard output
     * @throws IllegalStateException when it exits non-zero (with its standard error)
     */
    public static String run(String program, String stdin, List<String> args) {
        Path exe = program(program);
        try {
            List<String> command = new java.util.ArrayList<>();
            command.add(exe.toString());
            command.addAll(args);
            Path err = Files.createTempFile("go-" + program, ".stderr");
            Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
            Thread writer = new Thread(() -> {
                try (var in = p.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the program exited early; its exit status tells why
                }
            }, "stdin-" + program);
            writer.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("interop/" + program + " did not finish in 2 minutes");
            }
            writer.join();
            String errors = Files.readString(err);
            Files.deleteIfExists(err);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("interop/" + program + " exited " + p.exitValue() + ": " + errors);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run interop/" + program + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running interop/" + program, e);
        }
    }
}
