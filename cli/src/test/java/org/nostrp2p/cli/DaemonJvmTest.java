package org.nostrp2p.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The launcher, the manifest and the start-up hint name the same JVM options. */
class DaemonJvmTest {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    @Test
    void theLauncherAppliesTheDaemonOptions() throws IOException {
        String launcher = Files.readString(ROOT.resolve("nostrp2p"));
        Matcher options = Pattern.compile("default_jvm_opts=\"([^\"]*)\"", Pattern.DOTALL).matcher(launcher);
        options.find();

        assertEquals(DaemonJvm.OPTIONS, words(options.group(1).replace("\\\n", " ")));
    }

    @Test
    void theJarsManifestNamesTheDaemonOptions() throws IOException {
        String pom = Files.readString(ROOT.resolve("cli/pom.xml"));
        Matcher options = Pattern.compile("<Recommended-JVM-Options>([^<]*)</Recommended-JVM-Options>").matcher(pom);
        options.find();

        assertEquals(DaemonJvm.OPTIONS, words(options.group(1)));
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.trim().split("\\s+")).toList();
    }
}
