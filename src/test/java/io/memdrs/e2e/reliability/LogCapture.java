package io.memdrs.e2e.reliability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Everything this JVM logs while it is open, with memdrs at DEBUG and the Kafka clients at INFO (where they print
 * their whole configuration), kept in memory: what an operator's log file would have received.
 */
final class LogCapture implements AutoCloseable {
    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Map<String, Level> previous = new HashMap<>();

    LogCapture() {
        appender.setContext(context);
        appender.start();
        setLevel("io.memdrs", Level.DEBUG);
        setLevel("org.apache.kafka", Level.INFO);
        setLevel("kafka", Level.INFO);
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    }

    private void setLevel(String name, Level level) {
        Logger logger = context.getLogger(name);
        previous.put(name, logger.getLevel());
        logger.setLevel(level);
    }

    /** Every event so far as a log line would show it: message with arguments, and any stack trace. */
    List<String> lines() {
        return List.copyOf(appender.list).stream().map(e -> e.getLevel() + " " + e.getLoggerName() + " - "
                + e.getFormattedMessage() + (e.getThrowableProxy() == null ? ""
                : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy()))).toList();
    }

    /** The lines that contain {@code secret}. */
    List<String> linesWith(String secret) {
        return lines().stream().filter(l -> l.contains(secret)).toList();
    }

    @Override
    public void close() {
        context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
        appender.stop();
        previous.forEach((name, level) -> context.getLogger(name).setLevel(level));
    }
}
