package io.github.safesqlite.engine;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An exclusive lock on {@code <database>-safesqlite.lock}, held by whichever thread holds the
 * writer gate, so that safesqlite writers in different processes take turns on a lock that hands
 * over at once, instead of meeting inside SQLite, whose busy handler sleeps 1, 2, 5 ... 100 ms
 * between tries. Only the gate holder touches it, so in-process callers never contend here.
 * Programs that do not use safesqlite ignore the file and still meet SQLite's own locking.
 */
final class ProcessLock {

    /** Polling starts this short: a lock freed by a finished transaction is usually taken within microseconds. */
    private static final long FIRST_WAIT_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    private static final long LONGEST_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Path file;
    private final long timeoutMillis;
    private FileChannel channel;
    private FileLock lock;

    ProcessLock(String database, long timeoutMillis) {
        this.file = Path.of(database + "-safesqlite.lock");
        this.timeoutMillis = timeoutMillis;
    }

    /** Takes the lock, waiting at most the time-out. */
    void acquire() throws SQLException {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        long wait = FIRST_WAIT_NANOS;
        while (true) {
            try {
                if (channel == null || !channel.isOpen()) {
                    channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                }
                lock = channel.tryLock();
            } catch (IOException | OverlappingFileLockException e) {
                throw new SQLException("cannot lock " + file + " to coordinate writers between processes: " + e
                        + ". Make the directory writable, or set process_lock=false.", "08001", e);
            }
            if (lock != null) {
                return;
            }
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                throw new SQLTimeoutException("another process has held the writer lock " + file + " for more than "
                        + timeoutMillis + " ms (busy_timeout); a safesqlite process is in a long write transaction "
                        + "or stuck. Raise busy_timeout if that is expected.", "HYT00");
            }
            LockSupport.parkNanos(Math.min(ThreadLocalRandom.current().nextLong(wait / 2, wait + 1), deadline - now));
            if (Thread.currentThread().isInterrupted()) {
                throw new SQLException("interrupted while waiting for another process to release " + file
                        + "; nothing was written and the interrupt flag is still set", "57014");
            }
            wait = Math.min(wait * 2, LONGEST_WAIT_NANOS);
        }
    }

    void release() {
        FileLock held = lock;
        lock = null;
        if (held != null) {
            try {
                held.release();
            } catch (IOException e) {
                close(); // closing the channel releases the lock for certain
            }
        }
    }

    void close() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // the lock goes with the channel, closed or not; nothing is left to release
        }
    }
}
