package io.github.safesqlite;

import io.github.safesqlite.engine.Background;
import io.github.safesqlite.engine.Engine;
import io.github.safesqlite.engine.EngineRegistry;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The databases the driver keeps open between connections, so that a connection per request
 * reuses the writer and the reader pool; and for how long: once no connection is open on one for
 * {@code idle_timeout}, it checkpoints and closes its files (on the shared background scheduler),
 * and the next connection opens it again. So database-per-tenant applications that touch thousands
 * of files keep open only the ones in use.
 */
final class DriverPins {

    /** One pinned database: its open connections, and the close scheduled once it has none. */
    private static final class Pin {
        int open;
        ScheduledFuture<?> idleClose;
    }

    /**
     * At most this many idle databases stay open (system property {@code safesqlite.maxIdleDatabases},
     * default 128): past it the one idle longest closes at once, so open files stay bounded however
     * many tenants were touched within {@code idle_timeout}.
     */
    static final int MAX_IDLE = Integer.getInteger("safesqlite.maxIdleDatabases", 128);

    private static final Map<Engine, Pin> PINS = new IdentityHashMap<>();
    /** The pinned databases with no connection open, the one idle longest first. */
    private static final Map<Engine, Pin> IDLE = new LinkedHashMap<>();
    private static boolean hookRegistered;

    private DriverPins() {
    }

    /** The engine of {@code config}'s database for a connection about to open on it, pinned and counted. */
    static Engine open(SafeSqliteConfig config) throws SQLException {
        // Acquired outside the lock (opening a file takes a while). A reference taken while an idle close
        // runs keeps the engine open; one taken after it opens the engine again.
        Engine engine = EngineRegistry.acquire(config);
        synchronized (DriverPins.class) {
            Pin pin = PINS.get(engine);
            if (pin == null) {
                PINS.put(engine, pin = new Pin()); // the pin keeps this reference
                registerShutdownHook();
            } else {
                EngineRegistry.release(engine); // the pin already holds one
            }
            pin.open++;
            IDLE.remove(engine);
            if (pin.idleClose != null) {
                pin.idleClose.cancel(false);
                pin.idleClose = null;
            }
        }
        return engine;
    }

    /**
     * A connection on {@code engine} closed; with none left, the database closes after idle_timeout,
     * or at once when it makes one idle database too many.
     */
    static void closed(Engine engine) {
        Engine evicted = null;
        synchronized (DriverPins.class) {
            Pin pin = PINS.get(engine);
            if (pin == null || --pin.open > 0) {
                return; // unpinned meanwhile by close(url), or still in use
            }
            long idle = engine.config().idleTimeoutMillis();
            if (idle > 0) {
                pin.idleClose = Background.SCHEDULER.schedule(() -> closeIfIdle(engine, pin), idle, TimeUnit.MILLISECONDS);
            }
            IDLE.put(engine, pin);
            if (IDLE.size() > MAX_IDLE) {
                evicted = IDLE.keySet().iterator().next();
                Pin old = PINS.remove(evicted);
                IDLE.remove(evicted);
                if (old.idleClose != null) {
                    old.idleClose.cancel(false);
                }
            }
        }
        if (evicted != null) {
            // Closing checkpoints the database: on a background thread, not the application's.
            Engine closing = evicted;
            Background.SCHEDULER.execute(() -> EngineRegistry.release(closing));
        }
    }

    private static void closeIfIdle(Engine engine, Pin pin) {
        synchronized (DriverPins.class) {
            if (PINS.get(engine) != pin || pin.open > 0) {
                return; // a connection came back in time
            }
            PINS.remove(engine);
            IDLE.remove(engine);
        }
        EngineRegistry.release(engine); // outside the lock: closing checkpoints the database
    }

    /** Stops keeping {@code engine} open (connections still open on it fail from now on). */
    static void unpin(Engine engine) {
        boolean pinned;
        synchronized (DriverPins.class) {
            Pin pin = PINS.remove(engine);
            IDLE.remove(engine);
            pinned = pin != null;
            if (pin != null && pin.idleClose != null) {
                pin.idleClose.cancel(false);
            }
        }
        if (pinned) {
            EngineRegistry.release(engine);
        }
    }

    /** Stops keeping every database open; also run at JVM shutdown. */
    static void unpinAll() {
        List<Engine> engines;
        synchronized (DriverPins.class) {
            engines = new ArrayList<>(PINS.keySet());
        }
        for (Engine engine : engines) {
            unpin(engine);
        }
    }

    private static void registerShutdownHook() {
        if (!hookRegistered) {
            hookRegistered = true;
            Runtime.getRuntime().addShutdownHook(new Thread(DriverPins::unpinAll, "safesqlite-shutdown"));
        }
    }
}
