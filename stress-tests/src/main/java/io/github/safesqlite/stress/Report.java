package io.github.safesqlite.stress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The summary table, the raw figures (CSV and JSON) and a self-contained HTML report with charts. */
final class Report {

    private static final String[] COLOURS = {"#8c8c8c", "#d95f02", "#7570b3", "#1b9e77", "#e7298a", "#66a61e"};

    private final List<RunResult> results;

    Report(List<RunResult> results) {
        this.results = List.copyOf(results);
    }

    /** Throughput of each workload's first run (plain sqlite-jdbc, fewest threads): what every ratio is against. */
    private double reference(String workload) {
        return results.stream().filter(r -> r.workload.equals(workload)).findFirst()
                .map(RunResult::throughput).orElse(Double.NaN);
    }

    private Map<String, List<RunResult>> byWorkload() {
        Map<String, List<RunResult>> out = new LinkedHashMap<>();
        for (RunResult r : results) {
            out.computeIfAbsent(r.workload, k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    String table() {
        StringBuilder out = new StringBuilder();
        String header = String.format(Locale.ROOT, "%-15s %-18s %9s %9s %8s %8s %8s %8s %7s %7s %7s  %s%n",
                "workload", "set-up", "ops/s", "vs ref", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "errors",
                "retries", "wal MB", "integrity");
        out.append(header).append("-".repeat(header.length() + 4)).append('\n');
        for (RunResult r : results) {
            out.append(String.format(Locale.ROOT, "%-15s %-18s %9.0f %8.2fx %8.3f %8.3f %8.3f %8.1f %7d %7s %7s  %s%n",
                    r.workload, r.label(), r.throughput(), r.throughput() / reference(r.workload), r.latencyMillis(0.5),
                    r.latencyMillis(0.99), r.latencyMillis(0.999), r.latencyMillis(1.0), r.errorCount(),
                    r.retries < 0 ? "-" : Long.toString(r.retries),
                    walMb(r), r.integrity));
        }
        for (RunResult r : results) {
            if (!r.errors.isEmpty()) {
                out.append("  errors of ").append(r.workload).append(" / ").append(r.label()).append(": ")
                        .append(r.errors).append('\n');
            }
        }
        return out.toString();
    }

    void writeFiles(Path dir) throws IOException {
        Files.writeString(dir.resolve("results.csv"), csv());
        Files.writeString(dir.resolve("results.json"), json());
        Files.writeString(dir.resolve("report.html"), html());
    }

    String csv() {
        StringBuilder csv = new StringBuilder("workload,setup,threads,processes,seconds,operations,ops_per_s,"
                + "ratio_vs_plain1,p50_ms,p99_ms,p999_ms,max_ms,errors,retries,wal_max_bytes,integrity\n");
        for (RunResult r : results) {
            csv.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%.3f,%d,%.1f,%.4f,%.4f,%.4f,%.4f,%.4f,%d,%d,%d,\"%s\"%n",
                    r.workload, r.setup, r.threads, r.processes, r.seconds, r.operations, r.throughput(),
                    r.throughput() / reference(r.workload), r.latencyMillis(0.5), r.latencyMillis(0.99),
                    r.latencyMillis(0.999), r.latencyMillis(1.0), r.errorCount(), r.retries, r.walMaxBytes,
                    r.integrity.replace("\"", "'")));
        }
        return csv.toString();
    }

    String json() {
        StringBuilder json = new StringBuilder("[\n");
        for (int i = 0; i < results.size(); i++) {
            RunResult r = results.get(i);
            StringBuilder errors = new StringBuilder("{");
            r.errors.forEach((k, v) -> errors.append(errors.length() > 1 ? ", " : "").append(quote(k)).append(": ").append(v));
            errors.append('}');
            json.append(String.format(Locale.ROOT, "  {\"workload\": %s, \"setup\": %s, \"threads\": %d, \"processes\": %d, "
                            + "\"seconds\": %.3f, \"operations\": %d, \"opsPerSecond\": %.1f, \"ratioVsPlain1\": %.4f, "
                            + "\"p50Ms\": %.4f, \"p99Ms\": %.4f, \"p999Ms\": %.4f, \"maxMs\": %.4f, \"errors\": %s, "
                            + "\"retries\": %d, \"walMaxBytes\": %d, \"integrity\": %s}%s%n",
                    quote(r.workload), quote(r.setup), r.threads, r.processes, r.seconds, r.operations, r.throughput(),
                    r.throughput() / reference(r.workload), r.latencyMillis(0.5), r.latencyMillis(0.99),
                    r.latencyMillis(0.999), r.latencyMillis(1.0), errors, r.retries, r.walMaxBytes, quote(r.integrity),
                    i + 1 < results.size() ? "," : ""));
        }
        return json.append("]\n").toString();
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** The largest WAL the run saw, in MB, as both the console and the HTML show it. */
    private static String walMb(RunResult r) {
        return r.walMaxBytes < 0 ? "-" : String.format(Locale.ROOT, "%.1f", r.walMaxBytes / 1e6);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    String html() {
        StringBuilder h = new StringBuilder("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>safesqlite stress report</title>
                <style>
                body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
                table { border-collapse: collapse; margin: 1em 0; } td, th { padding: 3px 10px; border-bottom: 1px solid #ddd; text-align: right; }
                th:first-child, td:first-child { text-align: left; } .bad { color: #b00; font-weight: bold; }
                h2 { margin-top: 2em; } svg text { font: 12px system-ui, sans-serif; }
                </style></head><body>
                <h1>safesqlite stress report</h1>
                <p>Each workload ran on a fresh SQLite file. Ratios are against each workload's first row, plain sqlite-jdbc
                with the fewest threads (one; two for long-reader, whose first thread only reads), measured in the same run.</p>
                """);
        for (Map.Entry<String, List<RunResult>> e : byWorkload().entrySet()) {
            List<RunResult> runs = e.getValue();
            h.append("<h2>").append(escape(e.getKey())).append("</h2>\n<table><tr><th>set-up</th><th>ops/s</th>"
                    + "<th>vs reference</th><th>p50 ms</th><th>p99 ms</th><th>p99.9 ms</th><th>max ms</th><th>errors</th>"
                    + "<th>retries</th><th>WAL MB</th><th>integrity</th><th>error kinds</th></tr>\n");
            for (RunResult r : runs) {
                h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.0f</td><td>%.2fx</td><td>%.3f</td><td>%.3f</td>"
                                + "<td>%.3f</td><td>%.1f</td><td%s>%d</td><td>%s</td><td>%s</td><td%s>%s</td><td>%s</td></tr>%n",
                        escape(r.label()), r.throughput(), r.throughput() / reference(r.workload), r.latencyMillis(0.5),
                        r.latencyMillis(0.99), r.latencyMillis(0.999), r.latencyMillis(1.0),
                        r.errorCount() > 0 ? " class=\"bad\"" : "", r.errorCount(),
                        r.retries < 0 ? "-" : Long.toString(r.retries), walMb(r), r.ok() ? "" : " class=\"bad\"",
                        escape(r.integrity), r.errors.isEmpty() ? "" : escape(r.errors.toString())));
            }
            h.append("</table>\n");
            h.append(barChart("throughput (operations per second)", runs, List.of("ops/s"), r -> new double[] {r.throughput()}, false));
            h.append(barChart("latency (ms, log scale)", runs, List.of("p50", "p99", "p99.9", "max"),
                    r -> new double[] {r.latencyMillis(0.5), r.latencyMillis(0.99), r.latencyMillis(0.999),
                            r.latencyMillis(1.0)}, true));
        }
        return h.append("</body></html>\n").toString();
    }

    interface Values {
        double[] of(RunResult r);
    }

    /** A grouped horizontal bar chart as inline SVG: one group per set-up, one bar per series. */
    static String barChart(String title, List<RunResult> runs, List<String> series, Values values, boolean log) {
        int barHeight = 14;
        int groupGap = 10;
        int left = 170;
        int width = 520;
        int height = runs.size() * (series.size() * barHeight + groupGap) + 50;
        double max = 0;
        double min = Double.MAX_VALUE;
        for (RunResult r : runs) {
            for (double v : values.of(r)) {
                max = Math.max(max, v);
                if (v > 0) {
                    min = Math.min(min, v);
                }
            }
        }
        double lo = log ? Math.log10(Math.max(1e-3, min / 2)) : 0;
        double hi = log ? Math.log10(Math.max(max, 1e-3) * 1.2) : Math.max(max, 1) * 1.1;
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\">%n"
                        + "<text x=\"0\" y=\"14\" font-weight=\"bold\">%s</text>%n", left + width + 120, height, escape(title)));
        int y = 30;
        for (RunResult r : runs) {
            double[] v = values.of(r);
            svg.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"%d\">%s</text>%n",
                    y + series.size() * barHeight / 2 + 4, escape(r.label())));
            for (int i = 0; i < v.length; i++) {
                double scaled = log ? (Math.log10(Math.max(v[i], 1e-3)) - lo) / (hi - lo) : v[i] / hi;
                int w = (int) Math.max(1, Math.round(Math.max(0, scaled) * width));
                svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>"
                                + "<text x=\"%d\" y=\"%d\">%s %s</text>%n", left, y, w, barHeight - 2,
                        COLOURS[i % COLOURS.length], left + w + 4, y + barHeight - 4, series.get(i),
                        v[i] >= 100 ? String.format(Locale.ROOT, "%.0f", v[i]) : String.format(Locale.ROOT, "%.3f", v[i])));
                y += barHeight;
            }
            y += groupGap;
        }
        return svg.append("</svg>\n").toString();
    }
}
