package io.github.safesqlite.faults;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Starts {@link WriterProcess} JVMs with the test class path and collects what they acknowledge. */
final class Processes {

    private Processes() {
    }

    /** A running writer process and the rows it has acknowledged so far. */
    static final class Writer {
        final Process process;
        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        /** What an external checkpointer reported of each checkpoint it ran. */
        final List<String> checkpoints = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<String> errors = new ArrayList<>();
        volatile String done;
        volatile boolean ready;
        private final Thread stdout;
        private final Thread stderr;

        Writer(Process process) {
            this.process = process;
            this.stdout = pump(process, false);
            this.stderr = pump(process, true);
        }

        private Thread pump(Process p, boolean err) {
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(
                        err ? p.getErrorStream() : p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        if (line.equals("READY")) {
                            ready = true;
                        } else if (line.startsWith("ACK ")) {
                            acknowledged.add(line.substring(4));
                        } else if (line.startsWith("CHECKPOINT ")) {
                            checkpoints.add(line.substring(11));
                        } else if (line.startsWith("DONE ")) {
                            done = line.substring(5);
                        } else if (err && (line.startsWith("ERR ") || line.contains("Exception"))) {
                            synchronized (errors) {
                                errors.add(line);
                            }
                        }
                    }
                } catch (IOException ignored) {
                    // the process was killed: what was read so far is what it acknowledged
                }
            });
            t.setDaemon(true);
            t.start();
            return t;
        }

        /** Waits for the process and for its output to be read completely. */
        int await(long millis) throws InterruptedException {
            if (!process.waitFor(millis, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("writer process did not finish in " + millis + " ms");
            }
            stdout.join(10_000);
            stderr.join(10_000);
            return process.exitValue();
        }
    }

    /** Starts an {@link AsyncWriterProcess} that submits inserts through executeAsync until killed. */
    static Writer startAsync(Path db, int id, String... settings) throws IOException {
        return java(AsyncWriterProcess.class, List.of(db.toString(), Integer.toString(id)), settings);
    }

    /** Starts a {@link UnitWriterProcess} that runs batched units of work on 8 threads until killed. */
    static Writer startUnits(Path db, int id, String... settings) throws IOException {
        return java(UnitWriterProcess.class, List.of(db.toString(), Integer.toString(id)), settings);
    }

    /** Starts an {@link ExternalCheckpointerProcess}: Litestream's way with the WAL, until killed. */
    static Writer startExternalCheckpointer(Path db, Path replica, long walLimitBytes) throws IOException {
        return java(ExternalCheckpointerProcess.class, List.of(db.toString(), replica.toString(),
                Long.toString(walLimitBytes)));
    }

    static Writer start(Path db, int threads, long millis, int id, String... settings) throws IOException {
        return java(WriterProcess.class, List.of(db.toString(), Integer.toString(threads), Long.toString(millis),
                Integer.toString(id)), settings);
    }

    /** A JVM with the test class path running {@code main} with {@code args}, then {@code settings}. */
    private static Writer java(Class<?> main, List<String> args, String... settings) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                main.getName()));
        command.addAll(args);
        command.addAll(List.of(settings));
        return new Writer(new ProcessBuilder(command).start());
    }
}
