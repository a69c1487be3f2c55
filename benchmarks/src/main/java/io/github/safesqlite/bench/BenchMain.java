package io.github.safesqlite.bench;


import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the whole suite in one JVM-fork-per-benchmark session, so every ratio compares figures
 * measured in the same run, and prints each target's ratio; writes JMH's JSON, a Markdown table and
 * an SVG chart into the output directory. {@code --quick} runs shorter iterations.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        Path out = Path.of(args.length > 0 && !args[args.length - 1].startsWith("--") ? args[args.length - 1]
                : "benchmarks/results");
        Files.createDirectories(out);
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("io.github.safesqlite.bench.*Benchmark")
                .forks(1)
                // 10 s of warm-up: 8 threads on 2 cores leave the JIT little CPU, and 8-thread batched
                // units were still ramping up 6-9 s in (13k/s in the first second, 50-60k/s from the ninth).
                .warmupIterations(quick ? 2 : 5).warmupTime(TimeValue.seconds(2))
                .measurementIterations(quick ? 3 : 6).measurementTime(TimeValue.seconds(1))
                .addProfiler(GCProfiler.class)
                .jvmArgsAppend("-Xmx2g")
                .resultFormat(ResultFormatType.JSON).result(out.resolve("jmh.json").toString());
        Collection<RunResult> results = new Runner(options.build()).run();
        int rounds = quick ? 4 : 10;
        System.out.println("alternating rounds (1 s per set-up, " + rounds + " counted) ...");
        java.util.Map<String, List<PairedRounds.Ratio>> paired = new java.util.LinkedHashMap<>();
        for (String sync : new String[] {"NORMAL", "FULL"}) {
            paired.put("inserts, " + sync, PairedRounds.inserts(sync, rounds, 1000));
        }
        for (String sql : new String[] {"prepared", "literal"}) {
            paired.put("transfers, " + sql, PairedRounds.transfers(sql.equals("literal"), rounds, 1000));
        }
        paired.put("point selects", List.of(PairedRounds.pointSelects(rounds, 1000)));
        Targets targets = new Targets(results, paired);
        String table = targets.markdown();
        System.out.println();
        System.out.println(table);
        Files.writeString(out.resolve("targets.md"), table);
        Files.writeString(out.resolve("targets.svg"), targets.svg());
        System.out.println("written: " + out.toAbsolutePath());
    }

    /** A parameter a result may lack, and the value it then stands for. */
    private static final java.util.Map<String, String> DEFAULTS = java.util.Map.of("synchronous", "NORMAL",
            "sql", "prepared");

    /**
     * The result of the benchmark whose name ends with {@code method}, whose parameters have the
     * given values ({@code "impl=safe"}, {@code "synchronous=FULL"}); a result without a parameter
     * counts as having its default (NORMAL, prepared), and a parameter not given matches anything.
     */
    static RunResult find(Collection<RunResult> results, String method, String... params) {
        RunResult r = findOrNull(results, method, params);
        if (r == null) {
            throw new IllegalStateException("no result for " + method + " " + List.of(params));
        }
        return r;
    }

    /** As {@link #find}, or null when that benchmark failed (plain sqlite-jdbc's SQLITE_BUSY ends a JMH run). */
    static RunResult findOrNull(Collection<RunResult> results, String method, String... params) {
        for (RunResult r : results) {
            if (!r.getParams().getBenchmark().endsWith("." + method)) {
                continue;
            }
            boolean all = true;
            for (String p : params) {
                String key = p.substring(0, p.indexOf('='));
                String wanted = p.substring(p.indexOf('=') + 1);
                String has = r.getParams().getParamsKeys().contains(key) ? r.getParams().getParam(key) : DEFAULTS.get(key);
                all &= wanted.equals(has);
            }
            if (all) {
                return r;
            }
        }
        return null;
    }

    static double score(Collection<RunResult> results, String method, String... params) {
        return find(results, method, params).getPrimaryResult().getScore();
    }

    static double alloc(RunResult r) {
        Result<?> a = r.getSecondaryResults().get("gc.alloc.rate.norm");
        return a == null ? Double.NaN : a.getScore();
    }

    /** Each target of issue 7, measured as a ratio. */
    static final class Targets {
        /** One line of the table and one bar of the chart. */
        private record Row(String what, String measured, String target, String verdict, double value, double goal,
                           double scale, boolean ratio) {
        }

        private final List<Row> rows = new ArrayList<>();

        /**
         * @param paired inserts (per {@code synchronous} level) and transfers (prepared, literal)
         *               and point selects measured again in alternating rounds ({@link PairedRounds}), keyed
         *               as "inserts, FULL", "transfers, literal" or "point selects": shown beside the JMH
         *               rows, with the same targets
         */
        Targets(Collection<RunResult> results, java.util.Map<String, List<PairedRounds.Ratio>> paired) {
            double plainSelect = score(results, "select", "impl=plain");
            double safeSelect = score(results, "select", "impl=safe");
            double safeNoMetrics = score(results, "select", "impl=safe-no-metrics");
            double overhead = 1 - safeSelect / plainSelect;
            percent("point select overhead (1 - safe/plain)", overhead, "<= 5% (aim 2%)", overhead <= 0.05, 0.05);
            percent("point select overhead, metrics off", 1 - safeNoMetrics / plainSelect, null, true, Double.NaN);
            PairedRounds.Ratio rounds = paired.get("point selects").get(0);
            double roundsOverhead = 1 - rounds.median();
            percent("point select overhead, alternating rounds", roundsOverhead, String.format(Locale.ROOT,
                    " (rounds %.1f%% to %.1f%%, median of %d)", (1 - rounds.high()) * 100, (1 - rounds.low()) * 100,
                    rounds.rounds()), "<= 5% (aim 2%)", roundsOverhead <= 0.05, 0.05);
            ratio("metrics on vs off, point select", safeSelect / safeNoMetrics, null, true, Double.NaN);
            // Under 1 B/op means nothing is allocated per operation: what remains is the reservoir
            // keeping an occasional sample and the JVM's own background allocation, spread over millions of calls.
            double extraAlloc = alloc(find(results, "select", "impl=safe")) - alloc(find(results, "select", "impl=plain"));
            rows.add(new Row("point select allocation beyond sqlite-jdbc",
                    String.format(Locale.ROOT, "%.1f B/op", extraAlloc), "0 B/op (< 1)", extraAlloc < 1 ? "met" : "not met",
                    Math.max(0, extraAlloc), 1, 10, false));
            for (String sync : new String[] {"NORMAL", "FULL"}) {
                double plain = score(results, "InsertBenchmark.insert", "impl=plain", "synchronous=" + sync);
                double safe = score(results, "InsertBenchmark.insert", "impl=safe", "synchronous=" + sync);
                boolean full = sync.equals("FULL");
                ratio("1-thread insert, " + sync + " (safe/plain)", safe / plain, full ? ">= 0.95x" : null,
                        !full || safe / plain >= 0.95, full ? 0.95 : Double.NaN);
            }
            transfers(results);
            inserts(results);
            for (String sync : new String[] {"NORMAL", "FULL"}) {
                List<PairedRounds.Ratio> inserts = paired.get("inserts, " + sync);
                boolean full = sync.equals("FULL");
                pairedRatio("1-thread insert, " + sync + " (safe/plain), alternating rounds", inserts.get(0),
                        full ? 0.95 : Double.NaN);
                pairedRatio("8-thread inserts, " + sync + ", safe vs plain x1, alternating rounds", inserts.get(1),
                        full ? 4.0 : 2.5);
            }
            for (String sql : new String[] {"prepared", "literal"}) {
                List<PairedRounds.Ratio> transfers = paired.get("transfers, " + sql);
                pairedRatio("8-thread transfers, " + sql + ", safe vs plain x1, alternating rounds", transfers.get(0), 1.0);
                pairedRatio("8-thread transfers, " + sql + ", inTransaction batched vs plain x1, alternating rounds",
                        transfers.get(1), 3.0);
            }
            for (int n : new int[] {1, 2, 4, 8}) {
                double safe = groupReads(results, n, "safe");
                double plain = groupReads(results, n, "plain");
                ratio("reads with a writer running, " + n + " reader(s)", safe / plain, null, true, Double.NaN);
            }
        }

        /**
         * Transfers on 8 threads against plain sqlite-jdbc on one thread, per set-up, prepared and
         * literal; safesqlite must reach plain on one thread and the best set-up a user would build
         * instead, with a p99 no worse than that set-up's.
         */
        private void transfers(Collection<RunResult> results) {
            for (String sql : new String[] {"prepared", "literal"}) {
                double plain = score(results, "plainOneThread", "sql=" + sql);
                ratio("1-thread transfers, " + sql + " (safe/plain)", score(results, "safeOneThread", "sql=" + sql) / plain,
                        sql.equals("literal") ? ">= 0.95x" : null, score(results, "safeOneThread", "sql=" + sql) / plain >= 0.95,
                        sql.equals("literal") ? 0.95 : Double.NaN);
                double bestPeer = 0;
                for (String peer : new String[] {"locked", "hikari1"}) {
                    double v = score(results, "eightThreads", "impl=" + peer, "sql=" + sql) / plain;
                    bestPeer = Math.max(bestPeer, v);
                    ratio("8-thread transfers, " + sql + ", " + peer + " vs plain x1", v, null, true, Double.NaN);
                }
                double safe = score(results, "eightThreads", "impl=safe", "sql=" + sql) / plain;
                boolean met = safe >= 1.0 && safe >= bestPeer;
                ratio("8-thread transfers, " + sql + ", safe vs plain x1", safe, ">= 1.00x and >= best peer", met,
                        Math.max(1.0, bestPeer));
                double units = score(results, "eightThreads", "impl=safe-units", "sql=" + sql) / plain;
                ratio("8-thread transfers, " + sql + ", inTransaction batched vs plain x1", units, ">= 3.00x",
                        units >= 3.0, 3.0);
                ratio("8-thread transfers, " + sql + ", inTransactionAsync waited for vs plain x1",
                        score(results, "eightThreads", "impl=safe-async", "sql=" + sql) / plain, null, true, Double.NaN);
            }
            ratio("writer's pace: groups of 8 transfers on one thread of plain sqlite-jdbc, no hand-off, vs plain x1",
                    writerPace(results, "transfers") / score(results, "plainOneThread", "sql=prepared"), null, true,
                    Double.NaN);
        }

        /**
         * Transfers or inserts a second when plain sqlite-jdbc itself runs them in groups of 8 (the
         * most 8 callers can put in one COMMIT) on one thread, with no caller to hand anything back
         * to ({@code GroupedWorkBenchmark}): the writer's own pace, what a design that answers each of
         * 8 callers after its COMMIT would reach if handing the results back cost nothing.
         */
        private static double writerPace(Collection<RunResult> results, String work) {
            return 8 * score(results, "GroupedWorkBenchmark." + work, "k=8");
        }

        /** Autocommit inserts on 8 threads per set-up, against plain sqlite-jdbc on one thread, NORMAL and FULL. */
        private void inserts(Collection<RunResult> results) {
            for (String sync : new String[] {"NORMAL", "FULL"}) {
                double plainOne = score(results, "InsertBenchmark.insert", "impl=plain", "synchronous=" + sync);
                double goal = sync.equals("FULL") ? 4.0 : 2.5;
                double bestPeer = 0;
                double bestPeerP99 = Double.MAX_VALUE;
                for (String impl : new String[] {"plain", "hikari", "hikari1", "locked", "safe", "safe-async", "safe-url"}) {
                    RunResult r = findOrNull(results, "ContendedInsertBenchmark.insert", "impl=" + impl,
                            "synchronous=" + sync);
                    if (r == null) {
                        rows.add(new Row("8-thread inserts, " + sync + ", " + impl + " vs plain x1",
                                "failed (errors)", "(reported)", "", 0, Double.NaN, 4.0, true));
                        continue;
                    }
                    double rate = 8 / r.getPrimaryResult().getScore() * 1e6; // sampled µs per insert, 8 threads
                    boolean safe = impl.startsWith("safe");
                    if (!safe) {
                        bestPeer = Math.max(bestPeer, rate);
                        bestPeerP99 = Math.min(bestPeerP99, percentile(r, 99));
                    }
                    String what = "8-thread inserts, " + sync + ", " + impl + " vs plain x1";
                    if (impl.equals("safe")) {
                        ratio(what, rate / plainOne, ">= " + goal + "x", rate / plainOne >= goal, goal);
                        ratio("8-thread inserts, " + sync + ", safe vs best other set-up", rate / bestPeer, ">= 1.00x",
                                rate / bestPeer >= 1.0, 1.0);
                        double p99 = percentile(r, 99) / bestPeerP99;
                        ratio("8-thread insert p99, " + sync + ", safe vs best other set-up", p99, "<= 1.00x",
                                p99 <= 1.0, 1.0);
                    } else {
                        ratio(what, rate / plainOne, null, true, Double.NaN);
                    }
                }
                ratio("1 thread submitting " + SubmittedTogetherBenchmark.AT_ONCE + " executeAsync inserts at a time, " + sync
                        + ", vs plain x1", score(results, "SubmittedTogetherBenchmark.inserts", "synchronous=" + sync)
                        / plainOne, null, true, Double.NaN);
                if (sync.equals("NORMAL")) {
                    ratio("writer's pace: groups of 8 inserts on one thread of plain sqlite-jdbc, no hand-off, vs plain x1",
                            writerPace(results, "inserts") / plainOne, null, true, Double.NaN);
                }
            }
        }

        /**
         * A target again, from alternating rounds in one JVM: the median round's ratio, with the
         * lowest and highest round beside it; {@code goal} NaN when only reported.
         */
        private void pairedRatio(String what, PairedRounds.Ratio r, double goal) {
            boolean reported = Double.isNaN(goal);
            rows.add(new Row(what, r.toString(), reported ? "(reported)" : String.format(Locale.ROOT, ">= %.2fx", goal),
                    reported ? "" : r.median() >= goal ? "met" : "not met", r.median(), goal, 4.0, true));
        }

        private void ratio(String what, double v, String target, boolean met, double goal) {
            rows.add(new Row(what, String.format(Locale.ROOT, "%.2fx", v), target == null ? "(reported)" : target,
                    target == null ? "" : met ? "met" : "not met", v, goal, 4.0, true));
        }

        private void percent(String what, double v, String target, boolean met, double goal) {
            percent(what, v, "", target, met, goal);
        }

        /** As {@link #percent(String, double, String, boolean, double)}, with {@code detail} after the figure. */
        private void percent(String what, double v, String detail, String target, boolean met, double goal) {
            rows.add(new Row(what, String.format(Locale.ROOT, "%.1f%%", v * 100) + detail, target == null ? "(reported)" : target,
                    target == null ? "" : met ? "met" : "not met", v * 100, goal * 100, 15, false));
        }

        private static double percentile(RunResult r, double q) {
            return r.getPrimaryResult().getStatistics().getPercentile(q);
        }

        private static double groupReads(Collection<RunResult> results, int readers, String impl) {
            RunResult r = find(results, "readers" + readers, "impl=" + impl);
            Result<?> read = r.getSecondaryResults().get("readers" + readers + "Read");
            return read.getScore();
        }

        String markdown() {
            StringBuilder md = new StringBuilder("| measure | measured | target | |\n|---|---|---|---|\n");
            for (Row r : rows) {
                md.append("| ").append(String.join(" | ", r.what(), r.measured(), r.target(), r.verdict())).append(" |\n");
            }
            return md.toString();
        }

        /**
         * A bar per measure: ratios on a 0..4x scale with plain sqlite-jdbc's 1.0x marked, overheads
         * on 0..15%; the black tick is the target. Green met, orange not met, purple reported only.
         */
        String svg() {
            int rowHeight = 24;
            int left = 330;
            int width = 300;
            StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"760\" height=\"%d\">%n"
                            + "<style>text { font: 12px sans-serif; }</style>%n"
                            + "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n", rows.size() * rowHeight + 30));
            int y = 10;
            for (Row r : rows) {
                String colour = r.verdict().equals("met") ? "#1b9e77" : r.verdict().equals("not met") ? "#d95f02" : "#7570b3";
                double bar = Math.max(0, Math.min(1, r.value() / r.scale())) * width; // a negative overhead draws no bar
                svg.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"%d\">%s</text>"
                                + "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"14\" fill=\"%s\"/>"
                                + "<text x=\"%d\" y=\"%d\">%s %s</text>%n",
                        y + 12, escape(r.what()), left, y + 1, bar, colour, left + width + 10, y + 12,
                        escape(r.measured()), r.verdict()));
                if (r.ratio()) {
                    double parity = left + width / r.scale();
                    svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" "
                            + "stroke=\"#999\" stroke-dasharray=\"2,2\"/>%n", parity, parity, y - 2, y + 18));
                }
                if (!Double.isNaN(r.goal())) {
                    double g = left + Math.min(1, r.goal() / r.scale()) * width;
                    svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" "
                            + "stroke=\"black\" stroke-width=\"2\"/>%n", g, g, y - 1, y + 17));
                }
                y += rowHeight;
            }
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#555\">ratios: bar length 0..4x, "
                    + "dashed = plain sqlite-jdbc (1.0x); overheads 0..15%%; allocation 0..10 B; black tick = target</text>%n", left - 200, y + 14));
            return svg.append("</svg>\n").toString();
        }

        private static String escape(String s) {
            return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        }
    }

}
