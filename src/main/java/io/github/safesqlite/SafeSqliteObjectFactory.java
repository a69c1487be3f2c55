package io.github.safesqlite;

import java.util.Enumeration;
import java.util.Hashtable;
import java.util.Set;
import javax.naming.Context;
import javax.naming.Name;
import javax.naming.NamingException;
import javax.naming.RefAddr;
import javax.naming.Reference;
import javax.naming.spi.ObjectFactory;

/**
 * A JNDI {@link ObjectFactory} that makes a {@link SafeSqliteDataSource} from a container's resource
 * definition, for example Tomcat's
 * <pre>{@code
 * <Resource name="jdbc/shop" type="javax.sql.DataSource" auth="Container"
 *           factory="io.github.safesqlite.SafeSqliteObjectFactory" closeMethod="close"
 *           url="jdbc:safesqlite:/data/shop.db" readers="8" busyTimeout="10000"/>
 * }</pre>
 * Every attribute other than the container's own ({@code auth}, {@code type}, {@code factory},
 * {@code closeMethod}, {@code singleton}, {@code description}, {@code scope}) must be {@code url},
 * {@code path}, or a setting by its URL name or bean name; anything else is refused with a
 * {@link NamingException} naming it.
 */
public class SafeSqliteObjectFactory implements ObjectFactory {

    private static final Set<String> CONTAINER_ATTRIBUTES =
            Set.of("auth", "type", "factory", "closeMethod", "singleton", "description", "scope", "name");

    /** Public for containers, which instantiate factories by class name. */
    public SafeSqliteObjectFactory() {
    }

    @Override
    public Object getObjectInstance(Object obj, Name name, Context nameCtx, Hashtable<?, ?> environment)
            throws NamingException {
        if (!(obj instanceof Reference ref)) {
            return null;
        }
        SafeSqliteDataSource ds = new SafeSqliteDataSource();
        for (Enumeration<RefAddr> e = ref.getAll(); e.hasMoreElements(); ) {
            RefAddr addr = e.nextElement();
            if (CONTAINER_ATTRIBUTES.contains(addr.getType()) || addr.getContent() == null) {
                continue;
            }
            try {
                ds.setProperty(addr.getType(), addr.getContent().toString());
            } catch (IllegalArgumentException bad) {
                NamingException ne = new NamingException("resource " + name + ": " + bad.getMessage());
                ne.setRootCause(bad);
                throw ne;
            }
        }
        return ds;
    }
}
