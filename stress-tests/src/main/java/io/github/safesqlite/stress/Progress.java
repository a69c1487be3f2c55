package io.github.safesqlite.stress;

import java.io.PrintStream;

/** A progress bar on a terminal; one line per run anywhere else (CI logs, pipes). */
final class Progress {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final String label;
    private final long from;
    private final long to;
    private final boolean terminal = System.console() != null;

    Progress(PrintStream out, String label, long from, long to) {
        this.out = out;
        this.label = label;
        this.from = from;
        this.to = to;
    }

    void show() {
        if (!terminal) {
            return;
        }
        double f = Math.max(0, Math.min(1, (double) (System.nanoTime() - from) / (to - from)));
        int filled = (int) (f * WIDTH);
        String phase = System.nanoTime() < from ? "warming up" : String.format("%3d%%", (int) (f * 100));
        out.printf("\r  %-36s [%s%s] %-10s", label, "#".repeat(filled), " ".repeat(WIDTH - filled), phase);
    }

    void done() {
        if (terminal) {
            out.printf("\r  %-36s [%s] done      %n", label, "#".repeat(WIDTH));
        } else {
            out.printf("  %-36s done%n", label);
        }
    }
}
