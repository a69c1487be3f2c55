package io.github.safesqlite.stress;

/**
 * Autocommit inserts from several JVMs at once (--processes), each with --threads writers. The
 * runner starts the processes; every row a process acknowledged must be present.
 */
final class MultiProcessWorkload extends WriteHeavyWorkload {

    @Override
    public String name() {
        return "multi-process";
    }
}
