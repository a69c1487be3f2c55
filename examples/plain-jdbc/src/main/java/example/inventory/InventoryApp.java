package example.inventory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An ordinary DriverManager program: worker threads reserve stock in read-then-write transactions,
 * each with its own connection. It was written for {@code jdbc:sqlite:}; moving it to safesqlite
 * changes nothing but the URL it is given.
 *
 * <p>Usage: {@code InventoryApp <jdbc-url> [threads] [reservations-per-thread]}
 */
public final class InventoryApp {

    /** What a run did. */
    public record Result(int reserved, int failed, long stockLeft) {
    }

    private InventoryApp() {
    }

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "jdbc:safesqlite:inventory.db";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int each = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        Result r = run(url, threads, each);
        System.out.printf("reserved %d, failed %d, stock left %d%n", r.reserved(), r.failed(), r.stockLeft());
    }

    /** Creates the stock table and runs the workers. */
    public static Result run(String url, int threads, int reservationsPerThread) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.executeUpdate("PRAGMA journal_mode = WAL"); // what a careful sqlite-jdbc user already does
            st.executeUpdate("PRAGMA busy_timeout = 5000");
            st.executeUpdate("CREATE TABLE IF NOT EXISTS stock(item INTEGER PRIMARY KEY, quantity INTEGER NOT NULL)");
            st.executeUpdate("DELETE FROM stock");
            st.executeUpdate("INSERT INTO stock(item, quantity) VALUES (1, 100000), (2, 100000), (3, 100000)");
        }
        AtomicInteger reserved = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try (Connection c = DriverManager.getConnection(url)) {
                    c.setAutoCommit(false);
                    for (int i = 0; i < reservationsPerThread; i++) {
                        try {
                            reserve(c, 1 + ThreadLocalRandom.current().nextInt(3), 1);
                            reserved.incrementAndGet();
                        } catch (SQLException e) {
                            failed.incrementAndGet();
                            c.rollback();
                        }
                    }
                } catch (SQLException e) {
                    failed.incrementAndGet();
                }
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT sum(quantity) FROM stock")) {
            rs.next();
            return new Result(reserved.get(), failed.get(), rs.getLong(1));
        }
    }

    private static void reserve(Connection c, int item, int quantity) throws SQLException {
        try (PreparedStatement read = c.prepareStatement("SELECT quantity FROM stock WHERE item = ?");
             PreparedStatement take = c.prepareStatement("UPDATE stock SET quantity = quantity - ? WHERE item = ?")) {
            read.setInt(1, item);
            try (ResultSet rs = read.executeQuery()) {
                rs.next();
                if (rs.getInt(1) < quantity) {
                    throw new SQLException("out of stock");
                }
            }
            take.setInt(1, quantity);
            take.setInt(2, item);
            take.executeUpdate();
            c.commit();
        }
    }
}
