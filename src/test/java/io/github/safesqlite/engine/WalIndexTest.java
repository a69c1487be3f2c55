package io.github.safesqlite.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.safesqlite.Databases;
import io.github.safesqlite.SafeSqliteDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wal-index header read from the {@code -shm} file, against what SQLite itself reports, and
 * the checkpointer that relies on it: under steady writes the WAL keeps starting over, so commits
 * overwrite the file instead of growing it.
 */
class WalIndexTest {

    @TempDir
    Path dir;

    @Test
    void contentIsWhatSqliteCountsAndStartsOverWhileTheFileStaysLarge() throws Exception {
        String db = dir.resolve("index.db").toString();
        WalIndex index = new WalIndex(db);
        assertEquals(-1, index.contentBytes(), "no -shm file yet: unknown, not zero");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("PRAGMA journal_mode=WAL");
            st.execute("PRAGMA wal_autocheckpoint=0");
            st.execute("CREATE TABLE t(x TEXT)");
            for (int i = 0; i < 50; i++) {
                st.execute("INSERT INTO t VALUES (randomblob(3000))");
            }
            long pageSize = Databases.longValue(c, "PRAGMA page_size");
            long frames;
            try (ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                rs.next();
                frames = rs.getLong(2); // frames in the WAL, as SQLite counts them
            }
            assertEquals(frames * (pageSize + 24), index.contentBytes());
            long fileBefore = Databases.walBytes(Path.of(db));
            st.execute("INSERT INTO t VALUES ('after the checkpoint')"); // starts the WAL over
            long content = index.contentBytes();
            assertTrue(content > 0 && content < fileBefore / 10,
                    "after starting over the content is one commit's frames (" + content + " bytes) while the file keeps "
                            + fileBefore + " bytes");
            assertEquals(fileBefore, Databases.walBytes(Path.of(db)), "SQLite does not shrink the file when it starts over");
        }
    }

    /**
     * One thread writing steadily past checkpoint_threshold: the checkpointer keeps starting the WAL
     * over (its content drops back), so the file does not grow with every commit.
     */
    @Test
    void underSteadyWritesTheWalKeepsStartingOver() throws Exception {
        Path db = dir.resolve("steady.db");
        WalIndex index = new WalIndex(db.toString());
        try (SafeSqliteDataSource ds = Databases.dataSource(dir, "steady.db", "checkpoint_threshold=262144",
                "checkpoint_interval=10", "synchronous=NORMAL");
             Connection c = ds.getConnection()) {
            Databases.exec(c, "CREATE TABLE t(x BLOB)");
            int startedOver = 0;
            long previous = 0;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (randomblob(3000))")) {
                for (int i = 0; i < 500_000 && startedOver < 3; i++) {
                    ps.executeUpdate();
                    if (i % 20 == 0) {
                        long content = index.contentBytes();
                        if (content >= 0 && content < previous) {
                            startedOver++;
                        }
                        previous = content;
                    }
                }
            }
            assertEquals(3, startedOver, "the WAL started over three times while one thread wrote");
        }
    }
}
