package io.github.safesqlite.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * An online backup with {@code VACUUM INTO}: it reads one snapshot on a reader, so the copy is
 * transaction-consistent, and in WAL mode it never blocks the writer. The target path is bound as a
 * parameter, never written into the SQL.
 */
final class Backup {

    private Backup() {
    }

    static void to(Engine engine, Path target) throws SQLException {
        Path file = target.toAbsolutePath().normalize();
        if (Files.exists(file)) {
            throw new SQLException("backup target " + file + " already exists; choose a new file name (a backup "
                    + "never overwrites)", "58030");
        }
        Path dir = file.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new SQLException("directory " + dir + " of backup target " + file + " does not exist; create it first",
                    "58030");
        }
        Lease lease = engine.reader("backup");
        PhysicalConnection reader = lease.physical();
        boolean queryOnly = lease.isReader();
        try {
            // VACUUM INTO writes only the new file, but query_only refuses it: lift it on this reader, lent to us alone.
            if (queryOnly) {
                reader.run("PRAGMA query_only = 0");
            }
            try (PreparedStatement ps = reader.raw().prepareStatement("VACUUM INTO ?")) {
                ps.setString(1, file.toString());
                engine.retrying("a backup", () -> ps.executeUpdate());
            } finally {
                if (queryOnly) {
                    reader.run("PRAGMA query_only = 1");
                }
            }
        } catch (SQLException e) {
            lease.discard(); // its query_only state is not certain any more
            throw new SQLException("backup of " + engine.path() + " to " + file + " failed: " + e.getMessage(),
                    e.getSQLState(), e.getErrorCode(), e);
        }
        lease.release();
    }
}
