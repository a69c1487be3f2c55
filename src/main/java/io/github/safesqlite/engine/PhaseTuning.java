package io.github.safesqlite.engine;

import io.github.safesqlite.Phase;
import io.github.safesqlite.SafeSqliteConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What each {@link Phase} changes, and what the profile says instead: PRAGMAs of the writer and of
 * the readers, the checkpoint threshold, and how many queued writes may share a COMMIT. Only performance settings appear here; durability
 * ({@code synchronous}, the journal mode) is never among them. Internal to safesqlite.
 */
final class PhaseTuning {

    private static final long MIB = 1024 * 1024;

    /** The PRAGMAs and threshold of one phase, or of the profile when it ends. */
    record Tuning(Map<String, String> writer, Map<String, String> readers, long checkpointThreshold, int groupLimit) {
    }

    private PhaseTuning() {
    }

    /** The tuning of {@code phase}. */
    static Tuning of(Phase phase, SafeSqliteConfig config) {
        Map<String, String> writer = new LinkedHashMap<>();
        Map<String, String> readers = new LinkedHashMap<>();
        long threshold = config.checkpointThresholdBytes();
        int groupLimit = WriterGate.MAX_COMBINED;
        switch (phase) {
            case BULK_LOAD -> {
                writer.put("cache_size", Long.toString(-Math.max(cacheKib(config) * 8, 64 * 1024)));
                threshold = Math.max(threshold * 16, 64 * MIB);
                groupLimit = 8 * WriterGate.MAX_COMBINED; // writers queued together share fewer COMMITs
            }
            case ANALYSIS -> readers.put("cache_size", Long.toString(-Math.max(cacheKib(config) * 4, 32 * 1024)));
            case REPORTING -> {
                readers.put("cache_size", Long.toString(-Math.max(cacheKib(config) * 4, 32 * 1024)));
                readers.put("mmap_size", Long.toString(Math.max(config.mmapSize(), 256 * MIB)));
            }
            default -> throw new IllegalArgumentException(String.valueOf(phase));
        }
        return new Tuning(writer, readers, threshold, groupLimit);
    }

    /** The profile's values of what {@code phase} changed: applied when it ends. */
    static Tuning profile(Phase phase, SafeSqliteConfig config) {
        Tuning changed = of(phase, config);
        return new Tuning(profileValues(changed.writer(), config), profileValues(changed.readers(), config),
                config.checkpointThresholdBytes(), WriterGate.MAX_COMBINED);
    }

    private static Map<String, String> profileValues(Map<String, String> changed, SafeSqliteConfig config) {
        Map<String, String> back = new LinkedHashMap<>();
        for (String pragma : changed.keySet()) {
            back.put(pragma, pragma.equals("mmap_size") ? Long.toString(config.mmapSize())
                    : Long.toString(config.cacheSize()));
        }
        return back;
    }

    /** The profile's page cache in KiB (cache_size is pages when positive, KiB when negative). */
    private static long cacheKib(SafeSqliteConfig config) {
        long size = config.cacheSize();
        return size < 0 ? -size : size * 4;
    }
}
