package io.github.safesqlite.metrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One metric per name (a normalized SQL string) for at most {@code max} names; every later name
 * shares one overflow metric. Keeps per-query metrics bounded in number whatever SQL an
 * application sends, in every metrics library safesqlite reports to. Internal to safesqlite.
 *
 * @param <T> the metric
 */
public final class BoundedNames<T> {

    private final ConcurrentHashMap<String, T> metrics = new ConcurrentHashMap<>();
    private final int max;
    private final T overflow;
    private final Function<String, T> make;

    /**
     * @param max      distinct names that get their own metric
     * @param overflow the metric every further name shares
     * @param make     makes the metric of a name
     */
    public BoundedNames(int max, T overflow, Function<String, T> make) {
        this.max = max;
        this.overflow = overflow;
        this.make = make;
    }

    /** The metric of {@code name}: its own, or the overflow once {@code max} names have theirs. */
    public T get(String name) {
        T t = metrics.get(name);
        if (t != null) {
            return t;
        }
        if (metrics.size() >= max) {
            return overflow;
        }
        return metrics.computeIfAbsent(name, make);
    }
}
