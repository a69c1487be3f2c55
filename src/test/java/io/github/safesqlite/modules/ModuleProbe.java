package io.github.safesqlite.modules;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/** Run by {@link ModulePathTest} in a child JVM with the library on the module path. */
public final class ModuleProbe {

    private ModuleProbe() {
    }

    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:safesqlite:" + args[0]); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t(x)");
            st.execute("INSERT INTO t VALUES (1)");
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM t")) {
                rs.next();
                System.out.println("rows " + rs.getInt(1));
            }
            Module m = c.getClass().getModule();
            System.out.println("module " + m.getName());
            for (String pkg : new String[] {"io.github.safesqlite", "io.github.safesqlite.engine", "io.github.safesqlite.jdbc"}) {
                System.out.println("exported " + pkg + " " + m.isExported(pkg));
            }
        }
    }
}
