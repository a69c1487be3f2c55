package io.github.safesqlite.engine;

import io.github.safesqlite.SafeSqliteConfig;
import io.github.safesqlite.metrics.DatabaseMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One engine per database file in the JVM, shared by every data source and driver connection
 * that names it, however the path is spelled; otherwise two of them would each have a writer and
 * serialize nothing. Reference-counted: the engine closes when its last user lets go.
 * Internal to safesqlite.
 */
public final class EngineRegistry {

    private static final Map<Path, Engine> ENGINES = new HashMap<>();
    private static final Map<Engine, Integer> REFERENCES = new HashMap<>();
    /** Names in use, each by one open (or opening) database: metric names, JMX and health never mix two files. */
    private static final Map<String, Object> NAMES = new HashMap<>();

    private EngineRegistry() {
    }

    /**
     * Returns the engine for {@code config}'s file, opening it if needed, and counts a reference.
     * An in-memory database always gets a new, private engine.
     *
     * @throws SQLException when the file is already open with other settings (naming them), or cannot be opened
     */
    public static Engine acquire(SafeSqliteConfig config) throws SQLException {
        if (config.inMemory()) {
            Object owner = new Object(); // every in-memory database is a database of its own
            String name;
            synchronized (EngineRegistry.class) {
                name = reserveName(config, owner);
            }
            Engine engine = openNamed(config, config.path(), name);
            synchronized (EngineRegistry.class) {
                NAMES.put(name, engine);
                REFERENCES.put(engine, 1);
            }
            return engine;
        }
        Path key = canonical(config.path());
        synchronized (EngineRegistry.class) {
            Engine engine = ENGINES.get(key);
            if (engine != null) {
                List<String> differences = config.differencesFrom(engine.config());
                if (!differences.isEmpty()) {
                    throw new SQLException("database " + key + " is already open in this JVM with other settings: "
                            + String.join("; ", differences) + ". Every data source and URL for one file must "
                            + "use the same settings, because they share one writer and one reader pool.", "08001");
                }
            } else {
                String name = reserveName(config, key);
                engine = openNamed(config, key.toString(), name);
                NAMES.put(name, engine);
                ENGINES.put(key, engine);
            }
            REFERENCES.merge(engine, 1, Integer::sum);
            return engine;
        }
    }

    /** Opens the engine, giving its reserved name back if it cannot open. */
    private static Engine openNamed(SafeSqliteConfig config, String path, String name) throws SQLException {
        try {
            return Engine.open(config, path, name);
        } catch (SQLException | RuntimeException | Error e) {
            synchronized (EngineRegistry.class) {
                NAMES.remove(name);
            }
            throw e;
        }
    }

    /**
     * The name the {@code name} setting gives, or else the file name without its extension, with
     * {@code -2}, {@code -3} ... added while that is taken: unique among the databases open in the JVM.
     */
    private static String reserveName(SafeSqliteConfig config, Object owner) throws SQLException {
        String asked = config.name();
        if (!asked.isEmpty()) {
            if (NAMES.containsKey(asked)) {
                throw new SQLException("the name '" + asked + "' is already used by another open database in this "
                        + "JVM; give each database its own name (setting name), or leave it out to have one derived "
                        + "from the file name", "08001");
            }
            NAMES.put(asked, owner);
            return asked;
        }
        String stem = DatabaseMetrics.shortName(config.path());
        String name = stem;
        for (int n = 2; NAMES.containsKey(name); n++) {
            name = stem + "-" + n;
        }
        NAMES.put(name, owner);
        return name;
    }

    /** Drops one reference; the last one closes the engine. */
    public static void release(Engine engine) {
        boolean last;
        synchronized (EngineRegistry.class) {
            Integer refs = REFERENCES.get(engine);
            if (refs == null) {
                return;
            }
            last = refs == 1;
            if (last) {
                REFERENCES.remove(engine);
                ENGINES.values().remove(engine);
                NAMES.values().remove(engine);
            } else {
                REFERENCES.put(engine, refs - 1);
            }
        }
        if (last) {
            engine.close();
        }
    }

    /** The open engine of the file {@code config} names, or null. */
    public static Engine find(SafeSqliteConfig config) throws SQLException {
        if (config.inMemory()) {
            return null;
        }
        Path key = canonical(config.path());
        synchronized (EngineRegistry.class) {
            return ENGINES.get(key);
        }
    }

    /**
     * The file's real path, so {@code ./a.db}, {@code a.db} and a symbolic link to it are one key,
     * and the engine opens, watches and names the file SQLite really writes (its WAL sits beside
     * the real file, not beside a link). A link to a file that does not exist yet is followed too.
     */
    static Path canonical(String path) throws SQLException {
        Path p = Path.of(path).toAbsolutePath().normalize();
        try {
            for (int hops = 0; Files.isSymbolicLink(p) && !Files.exists(p) && hops < 40; hops++) {
                Path parent = p.getParent();
                p = (parent == null ? Files.readSymbolicLink(p) : parent.resolve(Files.readSymbolicLink(p))).normalize();
            }
            if (Files.exists(p)) {
                return p.toRealPath();
            }
            Path dir = p.getParent();
            return dir == null ? p : dir.toRealPath().resolve(p.getFileName());
        } catch (IOException e) {
            throw new SQLException("cannot resolve database path " + path + ": " + e.getMessage(), "08001", e);
        }
    }
}
