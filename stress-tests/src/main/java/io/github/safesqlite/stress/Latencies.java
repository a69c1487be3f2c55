package io.github.safesqlite.stress;

import java.util.Arrays;
import java.util.stream.LongStream;

/** One worker thread's measured latencies, in nanoseconds; read once the thread has ended. */
final class Latencies {

    private long[] nanos = new long[1 << 14];
    private int count;

    void add(long value) {
        if (count == nanos.length) {
            nanos = Arrays.copyOf(nanos, count * 2);
        }
        nanos[count++] = value;
    }

    LongStream values() {
        return Arrays.stream(nanos, 0, count);
    }

    long[] toArray() {
        return Arrays.copyOf(nanos, count);
    }
}
