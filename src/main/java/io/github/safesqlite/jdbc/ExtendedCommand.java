package io.github.safesqlite.jdbc;

import io.github.safesqlite.sql.SqlStatement;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * sqlite-jdbc's own statements that SQLite does not know: {@code backup [main] to <file>} and
 * {@code restore [main] from <file>}. A backup runs as the data source's online backup (a
 * consistent copy that never blocks writers); a restore would replace the database under every
 * connection, so it is refused with the safe way to do it.
 */
final class ExtendedCommand {

    private static final Pattern BACKUP = Pattern.compile(
            "(?is)\\s*backup(?:\\s+(\"[^\"]*\"|'[^']*'|\\S+))?\\s+to\\s+(\"[^\"]*\"|'[^']*'|\\S+)\\s*");
    private static final Pattern RESTORE = Pattern.compile("(?is)\\s*restore\\b.*");

    private ExtendedCommand() {
    }

    /**
     * Runs {@code s} when it is one of sqlite-jdbc's extended statements.
     *
     * @return true when it was one (and ran)
     */
    static boolean run(SqlStatement s, io.github.safesqlite.engine.Engine engine) throws SQLException {
        String sql = s.sql();
        int start = 0;
        while (start < sql.length() && Character.isWhitespace(sql.charAt(start))) {
            start++;
        }
        // Every write passes here: only the two words are looked at, so an INSERT allocates nothing.
        if (!sql.regionMatches(true, start, "backup", 0, 6) && !sql.regionMatches(true, start, "restore", 0, 7)) {
            return false;
        }
        Matcher backup = BACKUP.matcher(sql);
        if (backup.matches()) {
            String database = backup.group(1) == null ? "main" : unquote(backup.group(1));
            if (!database.equalsIgnoreCase("main")) {
                throw new SQLFeatureNotSupportedException("backup of database '" + database + "': a safesqlite "
                        + "connection has only its main database (attached databases are not supported)", "0A000");
            }
            engine.backup(Path.of(unquote(backup.group(2))));
            return true;
        }
        if (RESTORE.matcher(s.sql()).matches()) {
            throw new SQLFeatureNotSupportedException("restore from a file would replace the database under every "
                    + "connection of every data source on it. Close the data source (SafeSqliteDataSource.close(), or "
                    + "SafeSqliteDriver.close(url)), copy the backup over the file (and delete its -wal and -shm), "
                    + "then open it again.", "0A000");
        }
        return false;
    }

    private static String unquote(String token) {
        char first = token.charAt(0);
        return (first == '"' || first == '\'') && token.length() > 1 ? token.substring(1, token.length() - 1) : token;
    }
}
