package io.github.safesqlite.engine;

import io.github.safesqlite.SafeSqliteConfig;
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
            Engine engine = Engine.open(config, config.path());
            synchronized (EngineRegistry.class) {
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
                engine = Engine.open(config, key.toString());
                ENGINES.put(key, engine);
            }
            REFERENCES.merge(engine, 1, Integer::sum);
            return engine;
        }
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
