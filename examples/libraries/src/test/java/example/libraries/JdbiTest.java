package example.libraries;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.safesqlite.SafeSqliteDataSource;
import java.nio.file.Path;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JDBI 3 over SafeSqliteDataSource: handles, bound parameters, generated keys and transactions. */
class JdbiTest {

    @TempDir
    Path dir;

    @Test
    void handlesKeysAndTransactions() throws Exception {
        try (SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path(dir.resolve("jdbi.db").toString()).dataSource()) {
            Jdbi jdbi = Jdbi.create(ds);
            jdbi.useHandle(h -> h.execute("CREATE TABLE note(id INTEGER PRIMARY KEY, text TEXT NOT NULL)"));
            long id = jdbi.withHandle(h -> h.createUpdate("INSERT INTO note(text) VALUES (:text)")
                    .bind("text", "first").executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
            assertEquals(1, id);
            jdbi.useTransaction(h -> {
                h.createUpdate("INSERT INTO note(text) VALUES (:text)").bind("text", "second").execute();
                h.createUpdate("INSERT INTO note(text) VALUES (:text)").bind("text", "third").execute();
            });
            try {
                jdbi.useTransaction(h -> {
                    h.createUpdate("INSERT INTO note(text) VALUES (:text)").bind("text", "rolled back").execute();
                    throw new IllegalStateException("abort");
                });
            } catch (IllegalStateException expected) {
                // the transaction rolled back
            }
            List<String> texts = jdbi.withHandle(h -> h.createQuery("SELECT text FROM note ORDER BY id").mapTo(String.class).list());
            assertEquals(List.of("first", "second", "third"), texts);
        }
    }
}
