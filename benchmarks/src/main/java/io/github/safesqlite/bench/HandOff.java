package io.github.safesqlite.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * What one thread waking another and going to sleep costs on this machine: two threads hand a turn
 * back and forth with {@link LockSupport}, as a caller waiting for a shared COMMIT and the thread that
 * ran it do; prints microseconds per hand-off for a few rounds. It bounds what any design that parks
 * its waiting callers can reach. Usage:
 * {@code java -cp "benchmarks/target/classes:benchmarks/target/lib/*" io.github.safesqlite.bench.HandOff [rounds]}
 */
public final class HandOff {

    private static volatile int turn;

    private HandOff() {
    }

    public static void main(String[] args) throws InterruptedException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int handOffs = 100_000;
        for (int r = 0; r < rounds; r++) {
            turn = 0;
            Thread[] threads = new Thread[2];
            for (int k = 0; k < 2; k++) {
                int me = k;
                threads[k] = new Thread(() -> {
                    for (int i = 0; i < handOffs; i++) {
                        while (turn != me) {
                            LockSupport.park();
                        }
                        turn = 1 - me;
                        LockSupport.unpark(threads[1 - me]);
                    }
                });
            }
            long start = System.nanoTime();
            threads[0].start();
            threads[1].start();
            threads[0].join();
            threads[1].join();
            double micros = (System.nanoTime() - start) / 1e3 / (2.0 * handOffs);
            System.out.printf("round %d: %.2f us per hand-off%n", r + 1, micros);
        }
    }
}
