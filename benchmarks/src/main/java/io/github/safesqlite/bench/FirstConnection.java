package io.github.safesqlite.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The cost of the first connection in a fresh JVM: each round starts a new JVM that opens a new
 * database file, gets its first connection and runs {@code SELECT 1}, for plain sqlite-jdbc and
 * for safesqlite, alternately; prints the median of each. Usage:
 * {@code java -cp "benchmarks/target/classes:benchmarks/target/lib/*" io.github.safesqlite.bench.FirstConnection [rounds]}
 */
public final class FirstConnection {

    private FirstConnection() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("child")) {
            child(args[1]);
            return;
        }
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        List<Double> plain = new ArrayList<>();
        List<Double> safe = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            plain.add(run("sqlite"));
            safe.add(run("safesqlite"));
        }
        double p = median(plain);
        double s = median(safe);
        System.out.printf("first connection + SELECT 1 in a fresh JVM, median of %d: plain sqlite-jdbc %.0f ms, "
                + "safesqlite %.0f ms (safesqlite's own share %.0f ms)%n", rounds, p, s, s - p);
    }

    private static double run(String scheme) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                FirstConnection.class.getName(), "child", scheme).redirectErrorStream(true).start();
        String result = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("MS ")) {
                    result = line.substring(3);
                }
            }
        }
        if (p.waitFor() != 0 || result == null) {
            throw new IllegalStateException("the " + scheme + " child failed");
        }
        return Double.parseDouble(result);
    }

    private static void child(String scheme) throws Exception {
        Path dir = Files.createTempDirectory("first-connection");
        Path db = dir.resolve("first.db");
        long start = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:" + scheme + ":" + db);
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
            rs.next();
            System.out.println("MS " + (System.nanoTime() - start) / 1e6);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
