package example.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same program, two URLs: plain sqlite-jdbc fails under concurrency, safesqlite does not. */
class InventoryAppTest {

    @TempDir
    Path dir;

    @Test
    void withTheSafesqliteUrlEveryReservationSucceeds() throws Exception {
        InventoryApp.Result r = InventoryApp.run("jdbc:safesqlite:" + dir.resolve("safe.db"), 8, 200);
        assertEquals(1_600, r.reserved());
        assertEquals(0, r.failed());
        assertEquals(300_000 - 1_600, r.stockLeft(), "every acknowledged reservation is in the table");
    }

    @Test
    void withThePlainUrlTheSameProgramFails() throws Exception {
        InventoryApp.Result r = InventoryApp.run("jdbc:sqlite:" + dir.resolve("plain.db"), 8, 200);
        assertTrue(r.failed() > 0, "plain sqlite-jdbc loses read-then-write transactions to SQLITE_BUSY: " + r);
        assertEquals(300_000 - r.reserved(), r.stockLeft());
    }
}
