package io.github.safesqlite.compat;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.safesqlite.testing.UrlSwap;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema changes are visible to metadata and reporting PRAGMAs at once (issue 13, item 4), as on
 * sqlite-jdbc's single connection: ORMs and migration tools inspect the schema right after
 * changing it, and safesqlite answers them from readers and a metadata connection that had
 * already read the old schema.
 */
class SchemaVisibilityParityTest {

    @TempDir
    Path dir;

    private static List<String> inspectAroundDdl(Connection c) throws SQLException {
        List<String> seen = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE p1(id INTEGER PRIMARY KEY)");
            describe(c, st, seen, "before"); // the reader and the metadata connection now hold this schema
            st.executeUpdate("CREATE TABLE c2(id INTEGER PRIMARY KEY, p INTEGER REFERENCES p1(id))");
            st.executeUpdate("CREATE INDEX c2_p ON c2(p)");
            describe(c, st, seen, "after create");
            st.executeUpdate("DROP INDEX c2_p");
            describe(c, st, seen, "after drop");
        }
        return seen;
    }

    private static void describe(Connection c, Statement st, List<String> seen, String when) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        seen.add(when + ": imported keys " + rows(meta.getImportedKeys(null, null, "c2"), "PKTABLE_NAME"));
        seen.add(when + ": exported keys " + rows(meta.getExportedKeys(null, null, "p1"), "FKTABLE_NAME"));
        seen.add(when + ": index info " + rows(meta.getIndexInfo(null, null, "c2", false, false), "INDEX_NAME"));
        seen.add(when + ": tables " + rows(meta.getTables(null, null, "%", null), "TABLE_NAME"));
        seen.add(when + ": foreign_key_list " + rows(st.executeQuery("PRAGMA foreign_key_list(c2)"), "table"));
        seen.add(when + ": index_list " + rows(st.executeQuery("PRAGMA index_list(c2)"), "name"));
        seen.add(when + ": table_info " + rows(st.executeQuery("PRAGMA table_info(c2)"), "name"));
    }

    private static List<String> rows(ResultSet rs, String column) throws SQLException {
        List<String> out = new ArrayList<>();
        try (rs) {
            while (rs.next()) {
                out.add(rs.getString(column));
            }
        }
        return out;
    }

    @Test
    void metadataAndReportingPragmasSeeEveryCommittedSchemaChange() throws Exception {
        List<String> seen = UrlSwap.assertSameAsPlain(dir, "schema.db", "", null,
                SchemaVisibilityParityTest::inspectAroundDdl);
        assertTrue(seen.contains("after create: imported keys [p1]"), "the change was seen: " + seen);
        assertTrue(seen.contains("after create: foreign_key_list [p1]"), seen.toString());
    }
}
