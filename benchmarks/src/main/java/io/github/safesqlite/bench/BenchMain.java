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
                .warmupIterations(quick ? 2 : 4).warmupTime(TimeValue.seconds(1))
                .measurementIterations(quick ? 3 : 6).measurementTime(TimeValue.seconds(1))
                .addProfiler(GCProfiler.class)
                .jvmArgsAppend("-Xmx2g")
                .resultFormat(ResultFormatType.JSON).result(out.resolve("jmh.json").toString());
        Collection<RunResult> results = new Runner(options.build()).run();
        Targets targets = new Targets(results);
        String table = targets.markdown();
        System.out.println();
        System.out.println(table);
        Files.writeString(out.resolve("targets.md"), table);
        Files.writeString(out.resolve("targets.svg"), targets.svg());
        System.out.println("written: " + out.toAbsolutePath());
    }

    /** The score of the benchmark whose name ends with {@code method}, for {@code impl} (or any impl when null). */
    static RunResult find(Collection<RunResult> results, String method, String impl) {
        return find(results, method, impl, "NORMAL");
    }

    /** The result of {@code method} for {@code impl}, with {@code synchronous} where the benchmark varies it. */
    static RunResult find(Collection<RunResult> results, String method, String impl, String synchronous) {
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            String p = r.getParams().getParamsKeys().contains("impl") ? r.getParams().getParam("impl") : null;
            String sync = r.getParams().getParamsKeys().contains("synchronous") ? r.getParams().getParam("synchronous")
                    : synchronous;
            if (name.endsWith("." + method) && (impl == null || impl.equals(p)) && synchronous.equals(sync)) {
                return r;
            }
        }
        throw new IllegalStateException("no result for " + method + " " + impl + " " + synchronous);
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

        Targets(Collection<RunResult> results) {
            double plainSelect = find(results, "select", "plain").getPrimaryResult().getScore();
            double safeSelect = find(results, "select", "safe").getPrimaryResult().getScore();
            double safeNoMetrics = find(results, "select", "safe-no-metrics").getPrimaryResult().getScore();
            double overhead = 1 - safeSelect / plainSelect;
            percent("point select overhead (1 - safe/plain)", overhead, "<= 5% (aim 2%)", overhead <= 0.05, 0.05);
            percent("point select overhead, metrics off", 1 - safeNoMetrics / plainSelect, null, true, Double.NaN);
            ratio("metrics on vs off, point select", safeSelect / safeNoMetrics, null, true, Double.NaN);
            // Under 1 B/op means nothing is allocated per operation: what remains is the reservoir
            // keeping an occasional sample and the JVM's own background allocation, spread over millions of calls.
            double extraAlloc = alloc(find(results, "select", "safe")) - alloc(find(results, "select", "plain"));
            rows.add(new Row("point select allocation beyond sqlite-jdbc",
                    String.format(Locale.ROOT, "%.1f B/op", extraAlloc), "0 B/op (< 1)", extraAlloc < 1 ? "met" : "not met",
                    Math.max(0, extraAlloc), 1, 10, false));
            double plainInsert = find(results, "insert", "plain").getPrimaryResult().getScore();
            double safeInsert = find(results, "InsertBenchmark.insert", "safe").getPrimaryResult().getScore();
            ratio("single-thread autocommit insert (safe/plain)", safeInsert / plainInsert, null, true, Double.NaN);
            double plainFull = find(results, "InsertBenchmark.insert", "plain", "FULL").getPrimaryResult().getScore();
            double safeFull = find(results, "InsertBenchmark.insert", "safe", "FULL").getPrimaryResult().getScore();
            ratio("single-thread insert, synchronous=FULL (safe/plain)", safeFull / plainFull, ">= 0.95x", safeFull / plainFull >= 0.95, 0.95);
            double transfers = find(results, "safeEightThreads", null).getPrimaryResult().getScore()
                    / find(results, "plainOneThread", null).getPrimaryResult().getScore();
            ratio("8-thread transfers vs plain 1 thread", transfers, ">= 0.90x", transfers >= 0.9, 0.9);
            ratio("1-thread transfers vs plain 1 thread", find(results, "safeOneThread", null).getPrimaryResult().getScore()
                    / find(results, "plainOneThread", null).getPrimaryResult().getScore(), null, true, Double.NaN);
            RunResult ci = find(results, "ContendedInsertBenchmark.insert", "safe");
            RunResult cp = find(results, "ContendedInsertBenchmark.insert", "plain");
            RunResult ch = find(results, "ContendedInsertBenchmark.insert", "hikari");
            double rate = 8 / ci.getPrimaryResult().getScore();
            double best = Math.max(8 / cp.getPrimaryResult().getScore(), 8 / ch.getPrimaryResult().getScore());
            ratio("8-thread inserts vs better of plain and Hikari", rate / best, ">= 1.00x", rate / best >= 1.0, 1.0);
            double p99 = percentile(ci, 99) / Math.min(percentile(cp, 99), percentile(ch, 99));
            ratio("8-thread insert p99 vs better of plain and Hikari", p99, "<= 0.33x", p99 <= 1.0 / 3, 1.0 / 3);
            for (double q : new double[] {99.9, 100}) {
                double tail = percentile(ci, q) / Math.min(percentile(cp, q), percentile(ch, q));
                ratio("8-thread insert " + (q == 100 ? "max" : "p" + q) + " vs better of plain and Hikari", tail, null,
                        true, Double.NaN);
            }
            for (int n : new int[] {1, 2, 4, 8}) {
                double safe = groupReads(results, n, "safe");
                double plain = groupReads(results, n, "plain");
                ratio("reads with a writer running, " + n + " reader(s)", safe / plain, null, true, Double.NaN);
            }
        }

        private void ratio(String what, double v, String target, boolean met, double goal) {
            rows.add(new Row(what, String.format(Locale.ROOT, "%.2fx", v), target == null ? "(reported)" : target,
                    target == null ? "" : met ? "met" : "not met", v, goal, 1.5, true));
        }

        private void percent(String what, double v, String target, boolean met, double goal) {
            rows.add(new Row(what, String.format(Locale.ROOT, "%.1f%%", v * 100), target == null ? "(reported)" : target,
                    target == null ? "" : met ? "met" : "not met", v * 100, goal * 100, 15, false));
        }

        private static double percentile(RunResult r, double q) {
            return r.getPrimaryResult().getStatistics().getPercentile(q);
        }

        private static double groupReads(Collection<RunResult> results, int readers, String impl) {
            RunResult r = find(results, "readers" + readers, impl);
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
         * A bar per measure: ratios on a 0..1.5x scale with plain sqlite-jdbc's 1.0x marked, overheads
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
                double bar = Math.min(1, r.value() / r.scale()) * width;
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
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#555\">ratios: bar length 0..1.5x, "
                    + "dashed = plain sqlite-jdbc (1.0x); overheads 0..15%%; allocation 0..10 B; black tick = target</text>%n", left - 200, y + 14));
            return svg.append("</svg>\n").toString();
        }

        private static String escape(String s) {
            return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        }
    }

}
