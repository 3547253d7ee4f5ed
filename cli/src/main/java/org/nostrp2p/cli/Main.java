package org.nostrp2p.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code nostrp2p} command line: {@code genkey}, {@code serve}, and a complete client of
 * one's own server ({@code post}, {@code reply}, {@code timeline --watch}, {@code status}, ...).
 * Unknown options print the usage to stderr and exit with 2; {@code --help} and
 * {@code --version} exit with 0.
 */
@Command(
        name = "nostrp2p",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "A pure peer-to-peer microblog over a weaveworks/mesh overlay, with Nostr data.",
        // The subcommands, one line each, in the order `--help` lists them.
        subcommands = {
            GenkeyCommand.class,
            ServeCommand.class,        // alias "server", Go's name
            PostCommand.class,
            ReplyCommand.class,
            RepostCommand.class,
            QuoteCommand.class,
            LikeCommand.class,
            FollowCommand.class,
            FollowCommand.Unfollow.class,
            FollowingCommand.class,
            ProfileCommand.class,
            TimelineCommand.class,
            NotificationsCommand.class,
            StatusCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Main implements Runnable {
    /** Logback's system property naming its configuration. */
    static final String LOGBACK_CONFIGURATION = "logback.configurationFile";
    /** The command's logging configuration (stderr, INFO), a class-path resource that Logback never picks up by itself. */
    static final String LOGGING_RESOURCE = "org/nostrp2p/cli/logback-cli.xml";
    /** Netty's system property that turns its JFR buffer events on or off. */
    static final String NETTY_JFR = "io.netty.jfr.enabled";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its exit code. */
    public static void main(String[] args) {
        systemDefaults();
        System.exit(commandLine().execute(args));
    }

    /** The command's system properties, each set only where the user gave none (-D wins). */
    static void systemDefaults() {
        // Before any logger exists: the command's own Logback configuration.
        System.getProperties().putIfAbsent(LOGBACK_CONFIGURATION, LOGGING_RESOURCE);
        // Before any Netty class loads: no JFR events for Netty's buffers. They are off in JFR's
        // own settings, yet registering them loads ~180 classes and generates event handlers on
        // an I/O thread at the first allocation, in the way of a cold start's first handshakes
        // (docs/benchmarks.md). -Dio.netty.jfr.enabled=true brings them back.
        System.getProperties().putIfAbsent(NETTY_JFR, "false");
    }

    /** @return the configured command line, for {@link CommandLine#execute} (tests, embedding) */
    public static CommandLine commandLine() {
        return new CommandLine(new Main());
    }

    /** Without a subcommand, show what there is (as the Go command does). */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version from the build (a resource Maven filters), so it is right in the jar and in tests. */
    static final class Version implements CommandLine.IVersionProvider {
        static final String RESOURCE = "/org/nostrp2p/cli/version.properties";

        @Override
        public String[] getVersion() {
            return new String[] {"nostrp2p " + version()};
        }

        static String version() {
            Package pkg = Main.class.getPackage();
            if (pkg != null && pkg.getImplementationVersion() != null) {
                return pkg.getImplementationVersion();
            }
            try (InputStream in = Main.class.getResourceAsStream(RESOURCE)) {
                if (in != null) {
                    var properties = new Properties();
                    properties.load(in);
                    return properties.getProperty("version", "unknown");
                }
            } catch (IOException e) {
                // fall through: a version is informative, never worth failing for
            }
            return "unknown";
        }
    }
}
