package io.github.safesqlite.stress;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One child JVM of a multi-process run: runs the multi-process workload with its own set-up and
 * threads, then writes its latencies to a file and prints {@code ACKED n} and {@code ERROR kind n}.
 *
 * <p>Arguments: set-up, database file, threads, warm-up seconds, duration seconds, process number, latency file,
 * and optionally the safe set-ups' settings.
 */
public final class ProcessWorker {

    private ProcessWorker() {
    }

    public static void main(String[] args) throws Exception {
        String setupName = args[0];
        Path file = Path.of(args[1]);
        int threads = Integer.parseInt(args[2]);
        double warmup = Double.parseDouble(args[3]);
        double duration = Double.parseDouble(args[4]);
        int process = Integer.parseInt(args[5]);
        Path latencyFile = Path.of(args[6]);
        String safeSettings = args.length > 7 ? args[7] : "";
        try (Setup setup = Setup.named(setupName, file, null, safeSettings)) {
            WorkerLoop loop = WorkerLoop.start(new MultiProcessWorkload(), setup, threads, process * 1_000, warmup, duration);
            if (!loop.await(60_000)) {
                System.out.println("ERROR stuck-threads 1");
            }
            write(latencyFile, loop.latencies());
            System.out.println("ACKED " + loop.acknowledged.get());
            System.out.println("RETRIES " + setup.retries());
            for (Map.Entry<String, Long> e : loop.errors.entrySet()) {
                System.out.println("ERROR " + e.getKey().replace(' ', '_') + " " + e.getValue());
            }
        }
        System.out.flush();
    }

    static void write(Path file, long[] latencies) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); DataOutputStream out = new DataOutputStream(
                new java.io.BufferedOutputStream(os))) {
            out.writeInt(latencies.length);
            for (long l : latencies) {
                out.writeLong(l);
            }
        }
    }

    static long[] read(Path file) throws IOException {
        try (var in = new java.io.DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            long[] out = new long[in.readInt()];
            for (int i = 0; i < out.length; i++) {
                out[i] = in.readLong();
            }
            return out;
        }
    }
}
