package io.github.safesqlite.faults;

import io.github.safesqlite.SafeSqliteDataSource;
import java.sql.Connection;
import java.sql.Statement;

/**
 * A JVM with a small heap that runs hundreds of distinct ~150 KB SQL strings through safesqlite
 * (started by {@link MemoryBoundTest}); prints {@code DONE n} when all of them ran.
 * Arguments: database path, number of statements.
 */
public final class BigStatementsProcess {

    private BigStatementsProcess() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[1]);
        String filler = "x".repeat(150_000);
        try (SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path(args[0]).dataSource();
             Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
            for (int i = 0; i < n; i++) {
                // Each string differs, as generated bulk SQL does; the literal keeps it large.
                st.executeUpdate("INSERT INTO t(v) VALUES ('" + i + filler + "') /* " + i + " */");
                st.executeUpdate("DELETE FROM t"); // the rows themselves are not the point
            }
        }
        System.out.println("DONE " + n);
    }
}
