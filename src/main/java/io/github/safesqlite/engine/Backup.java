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
        try (PreparedStatement ps = lease.physical().raw().prepareStatement("VACUUM INTO ?")) {
            ps.setString(1, file.toString());
            engine.retrying("a backup of " + engine.config().path(), () -> ps.executeUpdate());
        } catch (SQLException e) {
            throw new SQLException("backup of " + engine.config().path() + " to " + file + " failed: " + e.getMessage(),
                    e.getSQLState(), e.getErrorCode(), e);
        } finally {
            lease.release();
        }
    }
}
