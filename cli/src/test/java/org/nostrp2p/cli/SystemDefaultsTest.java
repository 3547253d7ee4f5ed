package org.nostrp2p.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link Main#systemDefaults}: what the command sets before anything loads, and that -D still wins. */
class SystemDefaultsTest {

    private static final String MARK = "netty jfr: ";

    /** Prints whether Netty registers its JFR events, after the command's defaults or without them (argument "bare"). */
    public static final class Probe {
        public static void main(String[] args) {
            if (args.length == 0) {
                Main.systemDefaults();
            }
            System.out.println(MARK + io.netty.util.internal.PlatformDependent.isJfrEnabled());
        }
    }

    @Test
    void nettyRegistersNoJfrEventsInTheCommandsJvmAndDoesWithoutTheDefaults() throws Exception {
        assertEquals("false", probe());
        assertEquals("true", probe("bare"));
    }

    @Test
    void aValueTheUserGaveIsKept() {
        String jfr = System.getProperty(Main.NETTY_JFR);
        String logback = System.getProperty(Main.LOGBACK_CONFIGURATION);
        try {
            System.setProperty(Main.NETTY_JFR, "true");
            System.setProperty(Main.LOGBACK_CONFIGURATION, "mine.xml");

            Main.systemDefaults();

            assertEquals("true", System.getProperty(Main.NETTY_JFR));
            assertEquals("mine.xml", System.getProperty(Main.LOGBACK_CONFIGURATION));
        } finally {
            restore(Main.NETTY_JFR, jfr);
            restore(Main.LOGBACK_CONFIGURATION, logback);
        }
    }

    private static String probe(String... args) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new java.util.ArrayList<>(List.of(java.toString(), "-cp",
                System.getProperty("java.class.path"), Probe.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the probe did not exit in 60 s");
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return out.lines().filter(line -> line.startsWith(MARK)).map(line -> line.substring(MARK.length()))
                .findFirst().orElseThrow(() -> new AssertionError("the probe printed no answer:\n" + out));
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
