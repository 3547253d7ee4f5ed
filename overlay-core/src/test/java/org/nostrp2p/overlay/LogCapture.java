package org.nostrp2p.overlay;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Captures what slf4j-simple writes to System.err while a test runs (it looks System.err up on every line). */
final class LogCapture implements AutoCloseable {
    private final PrintStream original = System.err;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    LogCapture() {
        System.setErr(new PrintStream(new TeeStream(), true, StandardCharsets.UTF_8));
    }

    synchronized List<String> linesContaining(String text) {
        return Arrays.stream(buffer.toString(StandardCharsets.UTF_8).split("\n")).filter(l -> l.contains(text)).toList();
    }

    @Override
    public void close() {
        System.setErr(original);
    }

    private final class TeeStream extends java.io.OutputStream {
        @Override
        public void write(int b) {
            synchronized (LogCapture.this) {
                buffer.write(b);
            }
            original.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            synchronized (LogCapture.this) {
                buffer.write(b, off, len);
            }
            original.write(b, off, len);
        }
    }
}
