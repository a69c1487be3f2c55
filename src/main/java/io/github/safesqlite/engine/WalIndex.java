package io.github.safesqlite.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * How many frames the WAL holds since it last started over, read from the header of the wal-index
 * (the {@code -shm} file) without a SQL call. Internal to safesqlite.
 *
 * <p>Why not the size of the {@code -wal} file: SQLite does not shrink the file when the next writer
 * starts the WAL over from its beginning, so after one burst the file stays large while the WAL's
 * content is small, and a policy reading the file's size checkpoints at every look. What the
 * checkpointer wants to know is what a checkpoint would have to copy, which only the header says.
 *
 * <p>The layout is SQLite's documented file format (https://sqlite.org/walformat.html, "The
 * WAL-Index Header"): two copies of a 48-byte header, in the machine's byte order, whose field
 * {@code mxFrame} (offset 16) counts the valid frames and {@code szPage} (offset 14) gives the page
 * size; the copies match unless a writer is in the middle of changing them. Anything unexpected — no
 * {@code -shm} file (exclusive locking mode keeps the index in memory), another version, copies that
 * differ — answers "unknown", and the checkpointer falls back to the file's size.
 */
final class WalIndex {

    /** Bytes of one header copy. */
    private static final int HEADER = 48;
    /** {@code iVersion} of the only wal-index format there is (3.7.0). */
    private static final int VERSION = 3007000;
    /** Each frame's own header in the WAL file, ahead of its page. */
    private static final int FRAME_HEADER = 24;

    private final Path shm;
    private final ByteBuffer buffer = ByteBuffer.allocate(2 * HEADER).order(ByteOrder.nativeOrder());

    WalIndex(String database) {
        this.shm = Path.of(database + "-shm");
    }

    /**
     * Bytes of WAL content since the WAL last started over (frames, each with its header), or -1
     * when the index cannot say. Called by one thread at a time (the checkpointer's).
     */
    synchronized long contentBytes() {
        try (FileChannel ch = FileChannel.open(shm, StandardOpenOption.READ)) {
            buffer.clear();
            while (buffer.hasRemaining() && ch.read(buffer, buffer.position()) > 0) {
                // a header is written by a writer holding a lock, but reading it here takes none: keep reading
            }
            if (buffer.hasRemaining()) {
                return -1;
            }
            for (int i = 0; i < HEADER; i++) {
                if (buffer.get(i) != buffer.get(HEADER + i)) {
                    return -1; // a writer is between the two copies: the next look will see them agree
                }
            }
            if (buffer.getInt(0) != VERSION || buffer.get(12) != 1) {
                return -1;
            }
            int pageSize = Short.toUnsignedInt(buffer.getShort(14));
            pageSize = pageSize == 1 ? 65536 : pageSize; // 65536 does not fit in 16 bits
            long frames = Integer.toUnsignedLong(buffer.getInt(16));
            return frames * (pageSize + FRAME_HEADER);
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
