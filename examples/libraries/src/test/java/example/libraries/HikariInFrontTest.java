package example.libraries;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.safesqlite.SafeSqliteDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user who keeps HikariCP gets one writer and no lock errors: Hikari pools cheap logical
 * connections, which all share safesqlite's single writer and reader pool.
 */
class HikariInFrontTest {

    @TempDir
    Path dir;

    @Test
    void eightThreadsOfTransfersThroughHikariOverSafesqlite() throws Exception {
        for (boolean viaUrl : new boolean[] {true, false}) {
            HikariConfig config = new HikariConfig();
            config.setMaximumPoolSize(10);
            SafeSqliteDataSource safe = null;
            if (viaUrl) {
                config.setJdbcUrl("jdbc:safesqlite:" + dir.resolve("url.db")); // Hikari finds the driver by URL
            } else {
                safe = SafeSqliteDataSource.builder().path(dir.resolve("ds.db").toString()).dataSource();
                config.setDataSource(safe);
            }
            try (HikariDataSource hikari = new HikariDataSource(config)) {
                try (Connection c = hikari.getConnection(); Statement st = c.createStatement()) {
                    st.executeUpdate("CREATE TABLE account(id INTEGER PRIMARY KEY, balance INTEGER)");
                    st.executeUpdate("INSERT INTO account(balance) SELECT 100 FROM (WITH RECURSIVE n(i) AS "
                            + "(SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20) SELECT i FROM n)");
                }
                ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    Thread thread = new Thread(() -> {
                        for (int i = 0; i < 200; i++) {
                            try (Connection c = hikari.getConnection()) {
                                c.setAutoCommit(false);
                                int from = 1 + ThreadLocalRandom.current().nextInt(20);
                                int to = 1 + ThreadLocalRandom.current().nextInt(20);
                                try (PreparedStatement read = c.prepareStatement("SELECT balance FROM account WHERE id = ?");
                                     PreparedStatement move = c.prepareStatement(
                                             "UPDATE account SET balance = balance + ? WHERE id = ?")) {
                                    read.setInt(1, from);
                                    ResultSet rs = read.executeQuery();
                                    rs.next();
                                    if (rs.getInt(1) >= 5) {
                                        move.setInt(1, -5);
                                        move.setInt(2, from);
                                        move.executeUpdate();
                                        move.setInt(1, 5);
                                        move.setInt(2, to);
                                        move.executeUpdate();
                                    }
                                }
                                c.commit();
                            } catch (Throwable e) {
                                errors.add(e);
                            }
                        }
                    });
                    threads.add(thread);
                    thread.start();
                }
                for (Thread thread : threads) {
                    thread.join(60_000);
                }
                assertTrue(errors.isEmpty(), () -> errors.size() + " errors, first: " + errors.peek());
                try (Connection c = hikari.getConnection(); Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT sum(balance) FROM account")) {
                    rs.next();
                    assertEquals(2_000, rs.getInt(1));
                }
            } finally {
                if (safe != null) {
                    safe.close();
                }
            }
        }
    }
}
