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
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            String p = r.getParams().getParamsKeys().contains("impl") ? r.getParams().getParam("impl") : null;
            if (name.endsWith("." + method) && (impl == null || impl.equals(p))) {
                return r;
            }
        }
        throw new IllegalStateException("no result for " + method + " " + impl);
    }

    static double alloc(RunResult r) {
        Result<?> a = r.getSecondaryResults().get("gc.alloc.rate.norm");
        return a == null ? Double.NaN : a.getScore();
    }

    /** Each target of issue 7, measured as a ratio. */
    static final class Targets {
        private final List<String[]> rows = new ArrayList<>();

        Targets(Collection<RunResult> results) {
            double plainSelect = find(results, "select", "plain").getPrimaryResult().getScore();
            double safeSelect = find(results, "select", "safe").getPrimaryResult().getScore();
            double safeNoMetrics = find(results, "select", "safe-no-metrics").getPrimaryResult().getScore();
            add("point select overhead (1 - safe/plain)", pct(1 - safeSelect / plainSelect), "<= 5% (aim 2%)",
                    1 - safeSelect / plainSelect <= 0.05);
            add("metrics on vs off, point select", ratio(safeSelect / safeNoMetrics), "(reported)", true);
            double extraAlloc = alloc(find(results, "select", "safe")) - alloc(find(results, "select", "plain"));
            add("point select allocation beyond sqlite-jdbc", String.format(Locale.ROOT, "%.0f B/op", extraAlloc),
                    "0 B/op", extraAlloc <= 0);
            double plainInsert = find(results, "insert", "plain").getPrimaryResult().getScore();
            double safeInsert = find(results, "InsertBenchmark.insert", "safe").getPrimaryResult().getScore();
            add("single-thread autocommit insert (safe/plain)", ratio(safeInsert / plainInsert), "(reported)", true);
            double transfers = find(results, "safeEightThreads", null).getPrimaryResult().getScore()
                    / find(results, "plainOneThread", null).getPrimaryResult().getScore();
            add("8-thread transfers vs plain 1 thread", ratio(transfers), ">= 0.90x", transfers >= 0.9);
            RunResult ci = find(results, "ContendedInsertBenchmark.insert", "safe");
            RunResult cp = find(results, "ContendedInsertBenchmark.insert", "plain");
            RunResult ch = find(results, "ContendedInsertBenchmark.insert", "hikari");
            double rate = 8 / ci.getPrimaryResult().getScore();
            double best = Math.max(8 / cp.getPrimaryResult().getScore(), 8 / ch.getPrimaryResult().getScore());
            add("8-thread inserts vs better of plain and Hikari", ratio(rate / best), ">= 1.00x", rate / best >= 1.0);
            double p99 = p99(ci);
            double bestP99 = Math.min(p99(cp), p99(ch));
            add("8-thread insert p99 vs better of plain and Hikari", ratio(p99 / bestP99), "<= 0.33x", p99 / bestP99 <= 1.0 / 3);
            for (int n : new int[] {1, 2, 4, 8}) {
                double safe = groupReads(results, n, "safe");
                double plain = groupReads(results, n, "plain");
                add("reads with a writer running, " + n + " reader(s)", ratio(safe / plain), "(reported)", true);
            }
        }

        private static double p99(RunResult r) {
            return r.getPrimaryResult().getStatistics().getPercentile(99);
        }

        private static double groupReads(Collection<RunResult> results, int readers, String impl) {
            RunResult r = find(results, "readers" + readers, impl);
            Result<?> read = r.getSecondaryResults().get("readers" + readers + "Read");
            return read.getScore();
        }

        private static String ratio(double v) {
            return String.format(Locale.ROOT, "%.2fx", v);
        }

        private static String pct(double v) {
            return String.format(Locale.ROOT, "%.1f%%", v * 100);
        }

        private void add(String what, String measured, String target, boolean met) {
            rows.add(new String[] {what, measured, target, target.startsWith("(") ? "" : met ? "met" : "not met"});
        }

        String markdown() {
            StringBuilder md = new StringBuilder("| measure | measured | target | |\n|---|---|---|---|\n");
            for (String[] r : rows) {
                md.append("| ").append(String.join(" | ", r)).append(" |\n");
            }
            return md.toString();
        }

        String svg() {
            int rowHeight = 22;
            StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"760\" height=\"%d\">%n"
                            + "<style>text { font: 12px sans-serif; }</style>%n", rows.size() * rowHeight + 20));
            int y = 10;
            for (String[] r : rows) {
                String colour = r[3].equals("met") ? "#1b9e77" : r[3].equals("not met") ? "#d95f02" : "#7570b3";
                svg.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"%d\">%s</text>"
                                + "<rect x=\"330\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                                + "<text x=\"350\" y=\"%d\">%s (target %s) %s</text>%n", y + 12, escape(r[0]), y + 2,
                        colour, y + 12, escape(r[1]), escape(r[2]), r[3]));
                y += rowHeight;
            }
            return svg.append("</svg>\n").toString();
        }

        private static String escape(String s) {
            return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        }
    }

}
