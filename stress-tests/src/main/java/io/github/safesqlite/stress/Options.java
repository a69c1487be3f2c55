package io.github.safesqlite.stress;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The runner's command line. */
final class Options {

    static final String USAGE = """
            usage: stress-tests/run [options]
              --workload NAME     transfer, write-heavy, read-heavy, read-mostly-tx, point-select, batch, long-reader,
                                  multi-process, tenants (a database per tenant: open, write, read and close a
                                  random one), phases (bulk load, analysis, reporting, with and without ds.phase)
                                  (repeatable; default: transfer, write-heavy)
              --threads N         worker threads per run (default 8); plain sqlite-jdbc on 1 thread is always the reference
              --duration SECONDS  measured time per run (default 5)
              --warmup SECONDS    unmeasured time before it (default 1)
              --setups LIST       plain, hikari, hikari1, locked, safe, safe-no-metrics, safe-units
                                  (batch_transactions), safe-async (inTransactionAsync, waited for),
                                  safe-optimistic (optimistic_transactions)
                                  (default plain,hikari,hikari1,locked,safe)
              --url JDBC_URL      also run against this URL through DriverManager (any file, any driver)
              --safe SETTINGS     settings for the safe set-ups, as in a URL: readers=8&checkpoint_threshold=1048576
              --processes N       JVMs for the multi-process workload (default 3)
              --tenants N         databases for the tenants workload (default 1000)
              --out DIR           where results go (default stress-tests/results/<timestamp>)
            """;

    final List<String> workloads = new ArrayList<>();
    int threads = 8;
    double duration = 5;
    double warmup = 1;
    List<String> setups = List.of("plain", "hikari", "hikari1", "locked", "safe");
    String url;
    String safeSettings = "";
    int processes = 3;
    int tenants = 1000;
    Path out;

    /** Parses {@code args}; returns null after printing the usage for --help. */
    static Options parse(String[] args) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--workload" -> o.workloads.add(value(args, ++i, a));
                case "--threads" -> o.threads = positive(value(args, ++i, a), a);
                case "--duration" -> o.duration = Double.parseDouble(value(args, ++i, a));
                case "--warmup" -> o.warmup = Double.parseDouble(value(args, ++i, a));
                case "--setups" -> o.setups = Arrays.asList(value(args, ++i, a).split(","));
                case "--url" -> o.url = value(args, ++i, a);
                case "--safe" -> o.safeSettings = value(args, ++i, a);
                case "--processes" -> o.processes = positive(value(args, ++i, a), a);
                case "--tenants" -> o.tenants = positive(value(args, ++i, a), a);
                case "--out" -> o.out = Path.of(value(args, ++i, a));
                case "--help", "-h" -> {
                    System.out.print(USAGE);
                    return null;
                }
                default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
            }
        }
        if (o.workloads.isEmpty()) {
            o.workloads.addAll(List.of("transfer", "write-heavy"));
        }
        for (String w : o.workloads) {
            if (!w.equals("tenants") && !w.equals("phases")) { // runs of their own (TenantsRun, PhasesRun)
                Workload.named(w); // fail before anything runs
            }
        }
        for (String s : o.setups) {
            Setup.check(s);
        }
        if (o.out == null) {
            o.out = Path.of("stress-tests", "results",
                    LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        return o;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return args[i];
    }

    private static int positive(String v, String option) {
        int n = Integer.parseInt(v);
        if (n < 1) {
            throw new IllegalArgumentException(option + " must be at least 1");
        }
        return n;
    }
}
