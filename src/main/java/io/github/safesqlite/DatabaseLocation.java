package io.github.safesqlite;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the database part of a URL into a file path, for the two forms sqlite-jdbc accepts besides a
 * plain path: {@code file:} URIs with SQLite's URI parameters, and {@code :resource:} names of class
 * path resources. safesqlite opens plain paths only, because every physical connection it opens must
 * reach the same file in read-write mode with normal locking; URI parameters that would change that
 * are refused, naming the reason.
 */
final class DatabaseLocation {

    static final String RESOURCE = ":resource:";

    /** SQLite's URI parameters (https://sqlite.org/uri.html). */
    private static final Set<String> URI_PARAMETERS = Set.of("mode", "cache", "vfs", "psow", "nolock", "immutable",
            "modeof");

    private DatabaseLocation() {
    }

    /** True when {@code key} is one of SQLite's URI parameters, which only {@code file:} URIs carry. */
    private static boolean isUriParameter(String key) {
        return URI_PARAMETERS.contains(key);
    }

    /**
     * The file path {@code location} names. URI parameters are taken out of {@code settings} (they are
     * SQLite's, not settings); any left there with a path that is not a URI fail later as unknown.
     */
    static String path(String location, Map<String, String> settings) throws SQLException {
        if (location.startsWith(RESOURCE)) {
            return resource(location.substring(RESOURCE.length()));
        }
        if (!location.startsWith("file:")) {
            return location;
        }
        String path = uriPath(location);
        boolean mustExist = false;
        for (Iterator<Map.Entry<String, String>> it = settings.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, String> e = it.next();
            if (!isUriParameter(e.getKey())) {
                continue;
            }
            it.remove();
            String value = e.getValue().trim().toLowerCase(Locale.ROOT);
            switch (e.getKey()) {
                case "mode" -> {
                    switch (value) {
                        case "rwc" -> mustExist = false;
                        case "rw" -> mustExist = true;
                        case "ro" -> throw refused("mode=ro", "safesqlite's writer needs to write the file; for read-only "
                                + "access to a file nobody writes, use plain sqlite-jdbc");
                        case "memory" -> throw refused("mode=memory", "use jdbc:safesqlite::memory: for an in-memory "
                                + "database (one per connection; one per data source through the DataSource)");
                        default -> throw refused("mode=" + value, "SQLite knows ro, rw, rwc and memory");
                    }
                }
                case "cache" -> {
                    if (!value.equals("private")) {
                        throw refused("cache=" + value, "shared-cache connections lock each other's tables instead "
                                + "of reading WAL snapshots side by side; remove it");
                    }
                }
                case "psow" -> {
                    // powersafe overwrite is a storage property; it changes no semantics, so SQLite's default stays
                }
                default -> throw refused(e.getKey() + "=" + e.getValue(), "it changes how SQLite locks or reaches "
                        + "the file (nolock, immutable, vfs, modeof), which every physical connection must do alike");
            }
        }
        if (mustExist && !path.isEmpty() && !Files.exists(Path.of(path))) {
            throw new SQLException("database " + path + " does not exist, and the URI says mode=rw (open, never "
                    + "create); create it, or use mode=rwc", "08001");
        }
        return path;
    }

    /**
     * The path of a {@code file:} URI by SQLite's own rules, which are laxer than java.net.URI's (a
     * space may stand as it is): an authority, if any, must be empty or {@code localhost}; {@code %HH}
     * escapes are decoded; {@code file:data.db} is a relative path.
     */
    private static String uriPath(String location) throws SQLException {
        String rest = location.substring("file:".length());
        if (rest.startsWith("//")) {
            int slash = rest.indexOf('/', 2);
            String host = slash < 0 ? rest.substring(2) : rest.substring(2, slash);
            if (!host.isEmpty() && !host.equalsIgnoreCase("localhost")) {
                throw new SQLException("database URI " + location + " names host '" + host + "'; SQLite opens local "
                        + "files only (file:///path or file:/path)", "08001");
            }
            rest = slash < 0 ? "" : rest.substring(slash);
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < rest.length(); ) {
            int c = rest.codePointAt(i);
            if (c == '%' && i + 2 < rest.length()
                    && Character.digit(rest.charAt(i + 1), 16) >= 0 && Character.digit(rest.charAt(i + 2), 16) >= 0) {
                bytes.write(Integer.parseInt(rest.substring(i + 1, i + 3), 16));
                i += 3;
            } else {
                byte[] encoded = new String(Character.toChars(c)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
                i += Character.charCount(c);
            }
        }
        return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * A class path resource, as sqlite-jdbc opens it: a resource that is a file is opened where it
     * is; one inside a jar is copied to a file in the temporary directory (once per content), and
     * that copy is the database, so what is written to it stays out of the jar.
     */
    private static String resource(String name) throws SQLException {
        URL url = resourceUrl(name);
        if (url == null) {
            throw new SQLException("class path resource '" + name + "' (from jdbc:safesqlite::resource:" + name
                    + ") does not exist", "08001");
        }
        try {
            if (url.getProtocol().equals("file")) {
                return Path.of(url.toURI()).toString();
            }
            byte[] content;
            try (InputStream in = url.openStream()) {
                content = in.readAllBytes();
            }
            Path copy = Path.of(System.getProperty("java.io.tmpdir"),
                    "safesqlite-resource-" + digest(content) + "-"
                            + Path.of(name).getFileName());
            if (!Files.exists(copy)) {
                Path partial = Files.createTempFile(copy.getParent(), "safesqlite-resource-", ".part");
                Files.write(partial, content);
                Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE);
            }
            return copy.toString();
        } catch (IOException | java.net.URISyntaxException e) {
            throw new SQLException("class path resource '" + name + "' cannot be opened as a database file: " + e,
                    "08001", e);
        }
    }

    /** The first 16 hex digits of the content's SHA-256: one copy per content, never two contents in one copy. */
    private static String digest(byte[] content) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content), 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** A class path resource, or, as sqlite-jdbc also accepts, a URL ({@code jar:file:/app.jar!/data.db}). */
    private static URL resourceUrl(String name) {
        String resource = name.startsWith("/") ? name.substring(1) : name;
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        URL url = context == null ? null : context.getResource(resource);
        if (url == null) {
            url = DatabaseLocation.class.getClassLoader().getResource(resource);
        }
        if (url == null && name.indexOf(':') > 1) {
            try {
                url = java.net.URI.create(name).toURL();
            } catch (IllegalArgumentException | java.net.MalformedURLException notAUrl) {
                return null;
            }
        }
        return url;
    }

    private static SQLException refused(String parameter, String why) {
        return new SQLException("URI parameter " + parameter + " conflicts with safesqlite: " + why, "08001");
    }
}
