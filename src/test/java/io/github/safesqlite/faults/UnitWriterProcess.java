package io.github.safesqlite.faults;

import io.github.safesqlite.SafeSqliteDataSource;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * A separate JVM that writes through batched units of work ({@code batch_transactions=true}),
 * started by the kill test. It prints {@code READY} once the data source is open; then 8 threads
 * each run units without end. A unit inserts (process, thread, seq) and (process, thread, -seq);
 * every seventh throws after its inserts, so it must leave nothing. {@code inTransaction} returns
 * only after the COMMIT containing the unit, and then the process prints {@code ACK} for both rows.
 *
 * <p>Arguments: database path, process id, then extra {@code key=value} settings.
 */
public final class UnitWriterProcess {

    /** Thrown by every seventh unit, after its inserts. */
    static final class GivingUp extends RuntimeException {
        GivingUp() {
            super("the unit gives up", null, false, false);
        }
    }

    private UnitWriterProcess() {
    }

    public static void main(String[] args) throws Exception {
        int process = Integer.parseInt(args[1]);
        var builder = SafeSqliteDataSource.builder().path(args[0]).batchTransactions(true);
        for (String setting : Arrays.asList(args).subList(2, args.length)) {
            int eq = setting.indexOf('=');
            builder.set(setting.substring(0, eq), setting.substring(eq + 1));
        }
        PrintStream out = System.out;
        SafeSqliteDataSource ds = builder.dataSource();
        ds.getConnection().close(); // opens the engine before READY
        synchronized (out) {
            out.println("READY");
            out.flush();
        }
        for (int t = 0; t < 8; t++) {
            int thread = t;
            new Thread(() -> {
                for (long seq = 1; ; seq++) {
                    long mine = seq;
                    try {
                        ds.inTransaction(c -> {
                            insert(c, process, thread, mine);
                            insert(c, process, thread, -mine);
                            if (mine % 7 == 0) {
                                throw new GivingUp();
                            }
                            return null;
                        });
                    } catch (GivingUp expected) {
                        continue;
                    } catch (SQLException | RuntimeException e) {
                        System.err.println("ERR " + e);
                        continue;
                    }
                    synchronized (out) {
                        out.println("ACK " + process + " " + thread + " " + mine);
                        out.println("ACK " + process + " " + thread + " " + -mine);
                        out.flush();
                    }
                }
            }, "unit-writer-" + t).start();
        }
    }

    private static void insert(Connection c, int process, int thread, long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO event(process, thread, seq) VALUES (?, ?, ?)")) {
            ps.setInt(1, process);
            ps.setInt(2, thread);
            ps.setLong(3, seq);
            ps.executeUpdate();
        }
    }
}
