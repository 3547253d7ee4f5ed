package org.nostrp2p.cli.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.Duration;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's log file, when the operator asks for one ({@code serve --log-file}): the same
 * lines as the console, rolled over at {@link #MAX_FILE_BYTES} into at most
 * {@link #MAX_OLD_FILES} numbered old files, so the log never takes more than
 * {@code (1 + MAX_OLD_FILES) × MAX_FILE_BYTES} of disk however long an attack lasts.
 */
public final class LogFile {

    /** A log file is rolled over at this size. */
    public static final long MAX_FILE_BYTES = 10L * 1024 * 1024;
    /** Old files kept ({@code server.log.1} … {@code server.log.5}). */
    public static final int MAX_OLD_FILES = 5;

    private LogFile() {
    }

    /**
     * Adds a size-capped rolling file appender to the root logger of Logback.
     *
     * @param file the log file; old ones are {@code file.1}, {@code file.2}, …
     * @throws IllegalStateException when the logging backend is not Logback
     */
    public static void writeTo(Path file) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            throw new IllegalStateException("a log file needs Logback as the logging backend");
        }
        writeTo(context, file, MAX_FILE_BYTES, MAX_OLD_FILES, SIZE_CHECK_MILLIS);
    }

    /** How often the file's size is checked: Logback's default, a minute, lets a fast writer overshoot. */
    static final long SIZE_CHECK_MILLIS = 100;

    static void writeTo(LoggerContext context, Path file, long maxFileBytes, int oldFiles, long sizeCheckMillis) {
        String path = file.toAbsolutePath().toString();
        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(context);
        appender.setName("FILE");
        appender.setFile(path);

        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(context);
        rolling.setParent(appender);
        rolling.setFileNamePattern(path + ".%i");
        rolling.setMinIndex(1);
        rolling.setMaxIndex(oldFiles);
        rolling.start();

        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(context);
        trigger.setMaxFileSize(new FileSize(maxFileBytes));
        trigger.setCheckIncrement(Duration.buildByMilliseconds(sizeCheckMillis));
        trigger.start();

        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %logger{0}: %msg%n");
        encoder.start();

        appender.setRollingPolicy(rolling);
        appender.setTriggeringPolicy(trigger);
        appender.setEncoder(encoder);
        appender.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    }
}
