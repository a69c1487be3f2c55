package io.github.safesqlite.stress;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/** The figures of one workload on one set-up. */
final class RunResult {

    final String workload;
    final String setup;
    final int threads;
    final int processes;
    final double seconds;
    final long operations;
    final long[] latenciesNanos;
    final Map<String, Long> errors;
    final long retries;
    final long walMaxBytes;
    final String integrity;

    RunResult(String workload, String setup, int threads, int processes, double seconds, long[] latenciesNanos,
            Map<String, Long> errors, long retries, long walMaxBytes, String integrity) {
        this.workload = workload;
        this.setup = setup;
        this.threads = threads;
        this.processes = processes;
        this.seconds = seconds;
        this.latenciesNanos = latenciesNanos.clone();
        Arrays.sort(this.latenciesNanos);
        this.operations = latenciesNanos.length;
        this.errors = new TreeMap<>(errors);
        this.retries = retries;
        this.walMaxBytes = walMaxBytes;
        this.integrity = integrity;
    }

    double throughput() {
        return operations / seconds;
    }

    long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Latency at quantile {@code q} (0..1), in milliseconds. */
    double latencyMillis(double q) {
        if (latenciesNanos.length == 0) {
            return 0;
        }
        int i = (int) Math.min(latenciesNanos.length - 1, Math.ceil(q * latenciesNanos.length) - 1);
        return latenciesNanos[Math.max(0, i)] / 1e6;
    }

    boolean ok() {
        return integrity.equals("ok");
    }

    String label() {
        return setup + " x" + threads + (processes > 1 ? " x" + processes + "p" : "");
    }
}
