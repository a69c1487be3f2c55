package io.github.safesqlite.testing;

import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.simple.SimpleServiceProvider;
import org.slf4j.spi.MDCAdapter;

/**
 * slf4j-simple with a working MDC (its own discards every value), so that tests can see which
 * MDC a callback run on another thread has. Chosen by the {@code slf4j.provider} system property
 * that surefire sets, which also keeps SLF4J from warning about two providers.
 */
public class MdcLoggingProvider extends SimpleServiceProvider {

    private final MDCAdapter mdc = new BasicMDCAdapter();

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }
}
