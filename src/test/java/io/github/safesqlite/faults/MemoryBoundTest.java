package io.github.safesqlite.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What safesqlite keeps per SQL string is bounded by size: giant distinct strings cannot fill a small heap. */
class MemoryBoundTest {

    @TempDir
    Path dir;

    @Test
    void hundredsOfDistinctGiantStatementsRunInASmallHeap() throws Exception {
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", BigStatementsProcess.class.getName(),
                dir.resolve("big.db").toString(), "600")).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("DONE 600"), out);
    }
}
