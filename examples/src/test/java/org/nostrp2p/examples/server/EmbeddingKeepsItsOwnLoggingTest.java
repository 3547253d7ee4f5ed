package org.nostrp2p.examples.server;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * An application that embeds the server (as the examples do, depending on the cli module)
 * gets no logging backend and no logging configuration from it: it keeps its own.
 */
class EmbeddingKeepsItsOwnLoggingTest {

    @Test
    void theServerBringsNoLogbackOntoAnEmbeddersClassPath() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("ch.qos.logback.classic.Logger"));
    }

    @Test
    void theServerBringsNoLoggingConfigurationThatABackendWouldPickUp() {
        ClassLoader loader = EmbeddingKeepsItsOwnLoggingTest.class.getClassLoader();
        assertNull(loader.getResource("logback.xml"));
        assertNull(loader.getResource("logback-test.xml"));
        assertNull(loader.getResource("simplelogger.properties"));
    }
}
