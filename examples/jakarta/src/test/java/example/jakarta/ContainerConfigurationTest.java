package example.jakarta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.safesqlite.SafeSqliteDataSource;
import io.github.safesqlite.SafeSqliteObjectFactory;
import jakarta.annotation.sql.DataSourceDefinition;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.naming.CompositeName;
import javax.naming.NamingException;
import javax.naming.Reference;
import javax.naming.StringRefAddr;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds the data source exactly as a container does: from the annotation, and from a JNDI resource. */
class ContainerConfigurationTest {

    @TempDir
    Path dir;

    /** What an application server does with @DataSourceDefinition: instantiate by name, set bean properties. */
    private DataSource fromAnnotation(DataSourceDefinition def, String dbPath) throws Exception {
        Object ds = Class.forName(def.className()).getConstructor().newInstance();
        setBeanProperty(ds, "url", def.url().replace("${shop.db}", dbPath));
        for (String property : def.properties()) {
            int eq = property.indexOf('=');
            setBeanProperty(ds, property.substring(0, eq), property.substring(eq + 1));
        }
        return (DataSource) ds;
    }

    private static void setBeanProperty(Object bean, String name, String value) throws Exception {
        for (PropertyDescriptor pd : Introspector.getBeanInfo(bean.getClass()).getPropertyDescriptors()) {
            Method setter = pd.getWriteMethod();
            if (pd.getName().equals(name) && setter != null) {
                Class<?> type = setter.getParameterTypes()[0];
                Object converted = type == int.class ? Integer.valueOf(value) : type == long.class ? Long.valueOf(value)
                        : type == boolean.class ? Boolean.valueOf(value) : value;
                setter.invoke(bean, converted);
                return;
            }
        }
        throw new AssertionError("a container would find no bean property '" + name + "'");
    }

    private static long count(DataSource ds) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS t(x)");
            st.execute("INSERT INTO t VALUES (1)");
            try (ResultSet rs = st.executeQuery("PRAGMA busy_timeout")) {
                rs.next();
                assertEquals(10_000, rs.getInt(1), "the properties entries were applied");
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM t")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void dataSourceDefinitionAsAContainerReadsIt() throws Exception {
        DataSourceDefinition def = ShopResources.class.getAnnotation(DataSourceDefinition.class);
        DataSource ds = fromAnnotation(def, dir.resolve("annotated.db").toString());
        assertEquals(1, count(ds));
        ((SafeSqliteDataSource) ds).close();
    }

    @Test
    void jndiResourceAsTomcatCreatesIt() throws Exception {
        // <Resource name="jdbc/shop" auth="Container" type="javax.sql.DataSource"
        //           factory="io.github.safesqlite.SafeSqliteObjectFactory" closeMethod="close"
        //           url="jdbc:safesqlite:/data/shop.db" readers="4" busyTimeout="10000"/>
        Reference ref = new Reference("javax.sql.DataSource", SafeSqliteObjectFactory.class.getName(), null);
        ref.add(new StringRefAddr("auth", "Container"));
        ref.add(new StringRefAddr("closeMethod", "close"));
        ref.add(new StringRefAddr("url", "jdbc:safesqlite:" + dir.resolve("jndi.db")));
        ref.add(new StringRefAddr("readers", "4"));
        ref.add(new StringRefAddr("busyTimeout", "10000"));
        Object made = new SafeSqliteObjectFactory().getObjectInstance(ref, new CompositeName("jdbc/shop"), null, null);
        assertTrue(made instanceof SafeSqliteDataSource);
        assertEquals(1, count((DataSource) made));
        ((SafeSqliteDataSource) made).close();

        ref.add(new StringRefAddr("maxActive", "20")); // a DBCP attribute that means nothing here
        NamingException e = assertThrows(NamingException.class,
                () -> new SafeSqliteObjectFactory().getObjectInstance(ref, new CompositeName("jdbc/shop"), null, null));
        assertTrue(e.getMessage().contains("jdbc/shop") && e.getMessage().contains("max_active"), e.getMessage());
    }
}
