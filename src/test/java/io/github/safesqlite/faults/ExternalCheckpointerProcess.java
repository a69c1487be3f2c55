package io.github.safesqlite.faults;

import java.io.RandomAccessFile;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * A separate JVM that does what Litestream does to a database it replicates: it keeps a read
 * transaction open on one connection, so that nobody else can checkpoint past what it has copied;
 * copies the WAL's new bytes to a replica file; and, on its own schedule, lets go of its read
 * transaction, checkpoints (TRUNCATE once the WAL passes a limit, PASSIVE otherwise) and takes it
 * again; then it waits for the next change to the database's directory (its own checkpoints change
 * it too, so it keeps going while anything is written). It prints {@code READY} once it holds its first read transaction, and
 * {@code CHECKPOINT mode busy log checkpointed} after each checkpoint; it runs until killed.
 *
 * <p>Arguments: database path, replica file, WAL limit in bytes.
 */
public final class ExternalCheckpointerProcess {

    private ExternalCheckpointerProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        Path wal = Path.of(args[0] + "-wal");
        Path replica = Path.of(args[1]);
        long limit = Long.parseLong(args[2]);
        try (Connection reader = DriverManager.getConnection("jdbc:sqlite:" + db);
             Connection checkpointer = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement read = reader.createStatement(); Statement cp = checkpointer.createStatement();
             WatchService changes = FileSystems.getDefault().newWatchService()) {
            // Acts when the directory changes (the WAL is written), as Litestream watches the WAL.
            db.toAbsolutePath().getParent().register(changes, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_CREATE);
            cp.execute("PRAGMA busy_timeout = 5000");
            long copied = 0;
            hold(read);
            System.out.println("READY");
            System.out.flush();
            while (true) {
                copied = copy(wal, replica, copied);
                read.execute("COMMIT"); // lets go, so that its own checkpoint can run
                String mode = Files.exists(wal) && Files.size(wal) > limit ? "TRUNCATE" : "PASSIVE";
                try (ResultSet rs = cp.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
                    rs.next();
                    System.out.println("CHECKPOINT " + mode + " " + rs.getInt(1) + " " + rs.getLong(2) + " " + rs.getLong(3));
                    System.out.flush();
                }
                if (mode.equals("TRUNCATE")) {
                    copied = 0; // the WAL starts again from its beginning
                }
                hold(read);
                WatchKey key = changes.take(); // the next write to the WAL (or the database)
                key.pollEvents();
                key.reset();
            }
        }
    }

    /** A read transaction that stays open: no other connection can checkpoint past its snapshot. */
    private static void hold(Statement read) throws Exception {
        read.execute("BEGIN");
        try (ResultSet rs = read.executeQuery("SELECT count(*) FROM sqlite_master")) {
            rs.next();
        }
    }

    /** Appends the WAL's bytes past {@code from} to the replica; returns how far it has copied. */
    private static long copy(Path wal, Path replica, long from) throws Exception {
        if (!Files.exists(wal)) {
            return 0;
        }
        try (RandomAccessFile in = new RandomAccessFile(wal.toFile(), "r")) {
            long size = in.length();
            if (size <= from) {
                return size < from ? 0 : from;
            }
            byte[] bytes = new byte[(int) (size - from)];
            in.seek(from);
            in.readFully(bytes);
            Files.write(replica, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return size;
        }
    }
}
