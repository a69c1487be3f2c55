package example.libraries;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.safesqlite.SafeSqliteDataSource;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.hibernate.SessionFactory;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.cfg.Configuration;
import org.hibernate.community.dialect.SQLiteDialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hibernate ORM with the community SQLiteDialect: entities written and read from several threads. */
class HibernateTest {

    @TempDir
    Path dir;

    /** A simple entity. */
    @Entity(name = "Book")
    public static class Book {
        @Id
        @GeneratedValue(strategy = GenerationType.IDENTITY)
        Long id;
        String title;

        public Book() {
        }

        Book(String title) {
            this.title = title;
        }
    }

    @Test
    void entitiesFromEightThreads() throws Exception {
        try (SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path(dir.resolve("orm.db").toString()).dataSource()) {
            Configuration cfg = new Configuration().addAnnotatedClass(Book.class);
            var registry = new StandardServiceRegistryBuilder()
                    .applySetting("hibernate.connection.datasource", ds)
                    .applySetting("hibernate.dialect", SQLiteDialect.class.getName())
                    .applySetting("hibernate.hbm2ddl.auto", "create")
                    .build();
            try (SessionFactory sf = cfg.buildSessionFactory(registry)) {
                ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int n = t;
                    Thread thread = new Thread(() -> {
                        for (int i = 0; i < 50; i++) {
                            try {
                                int k = i;
                                sf.inTransaction(s -> s.persist(new Book("book " + n + "-" + k)));
                                sf.inSession(s -> s.createQuery("select count(b) from Book b", Long.class).getSingleResult());
                            } catch (Throwable e) {
                                errors.add(e);
                            }
                        }
                    });
                    threads.add(thread);
                    thread.start();
                }
                for (Thread thread : threads) {
                    thread.join(60_000);
                }
                assertTrue(errors.isEmpty(), () -> errors.size() + " errors, first: " + errors.peek());
                long books = sf.fromSession(s -> s.createQuery("select count(b) from Book b", Long.class).getSingleResult());
                assertEquals(400, books);
            }
        }
    }
}
