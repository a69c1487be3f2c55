package io.github.safesqlite.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library as a named module, in a child JVM on the module path: the driver is found through
 * {@code provides java.sql.Driver}, a connection works, and only the API package is exported.
 */
class ModulePathTest {

    @TempDir
    Path dir;

    @Test
    void asANamedModuleTheDriverWorksAndOnlyTheApiIsExported() throws Exception {
        String[] classPath = System.getProperty("java.class.path").split(File.pathSeparator);
        // The library and its runtime dependencies on the module path; the probe below on the class path.
        String modulePath = Stream.of(classPath)
                .filter(p -> p.endsWith(File.separator + "classes") || p.contains("sqlite-jdbc")
                        || p.contains("byte-buddy") || p.contains("metrics-core") || p.contains("slf4j-api"))
                .collect(Collectors.joining(File.pathSeparator));
        String probeClassPath = Stream.of(classPath).filter(p -> p.endsWith("test-classes"))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", modulePath, "--add-modules", "io.github.safesqlite",
                "-cp", probeClassPath, ModuleProbe.class.getName(), dir.resolve("m.db").toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("module io.github.safesqlite"), out);
        assertTrue(out.contains("rows 1"), out);
        assertTrue(out.contains("exported io.github.safesqlite true"), out);
        assertTrue(out.contains("exported io.github.safesqlite.engine false"), out);
        assertTrue(out.contains("exported io.github.safesqlite.jdbc false"), out);
    }
}
