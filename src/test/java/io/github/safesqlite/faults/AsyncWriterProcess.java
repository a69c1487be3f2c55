package io.github.safesqlite.faults;

import io.github.safesqlite.SafeSqliteDataSource;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * A separate JVM that writes through {@code executeAsync}, started by the kill test. It prints
 * {@code READY} once the data source is open, then submits inserts (process, 0, seq) without end,
 * and prints {@code ACK process 0 seq} when an insert's future completes, which the library does
 * only after the COMMIT containing it returned; a failed future prints {@code ERR}.
 *
 * <p>Arguments: database path, process id, then extra {@code key=value} settings.
 */
public final class AsyncWriterProcess {

    private AsyncWriterProcess() {
    }

    public static void main(String[] args) throws Exception {
        int process = Integer.parseInt(args[1]);
        var builder = SafeSqliteDataSource.builder().path(args[0]);
        for (String setting : Arrays.asList(args).subList(2, args.length)) {
            int eq = setting.indexOf('=');
            builder.set(setting.substring(0, eq), setting.substring(eq + 1));
        }
        PrintStream out = System.out;
        try (SafeSqliteDataSource ds = builder.dataSource()) {
            ds.getConnection().close(); // opens the engine before READY
            synchronized (out) {
                out.println("READY");
                out.flush();
            }
            for (long seq = 1; ; seq++) {
                long mine = seq;
                ds.executeAsync("INSERT INTO event(process, thread, seq) VALUES (?, 0, ?)", process, mine)
                        .whenComplete((count, failure) -> {
                            if (failure != null) {
                                System.err.println("ERR " + failure);
                                return;
                            }
                            synchronized (out) {
                                out.println("ACK " + process + " 0 " + mine);
                                out.flush();
                            }
                        });
            }
        }
    }
}
