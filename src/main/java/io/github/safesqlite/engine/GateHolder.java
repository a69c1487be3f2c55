package io.github.safesqlite.engine;

/**
 * Who holds the writer gate for the engine's own work (a checkpoint, a workload phase's tuning,
 * closing): a new one for each holding, named for messages. The gate refuses a holder that asks
 * again while it holds the gate ("would deadlock"), so two pieces of such work on two threads must
 * never be the same holder, as one shared name once made them (docs/design.md, "Measured reasons").
 * Internal to safesqlite.
 */
final class GateHolder {

    private final String name;

    GateHolder(String name) {
        this.name = name;
    }

    @Override
    public String toString() {
        return name;
    }
}
