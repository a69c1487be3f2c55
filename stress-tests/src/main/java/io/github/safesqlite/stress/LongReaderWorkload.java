package io.github.safesqlite.stress;

/**
 * Thread 0 holds one read transaction for the whole run while the others insert: the WAL cannot be
 * checkpointed past the reader's snapshot and grows. The runner reports the largest WAL it saw.
 */
final class LongReaderWorkload extends WriteHeavyWorkload {

    @Override
    public String name() {
        return "long-reader";
    }

    @Override
    public boolean isLongReader(int thread) {
        return thread == 0;
    }
}
