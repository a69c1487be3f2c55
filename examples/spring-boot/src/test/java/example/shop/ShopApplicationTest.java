package example.shop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.SharedMetricRegistries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import io.github.safesqlite.SafeSqliteDataSource;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.dao.DataAccessException;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The application with Flyway migrations, many concurrent @Transactional calls, read-only
 * transactions, and Actuator's health and metrics over HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ShopApplicationTest {

    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory("shop");
        registry.add("shop.data-dir", dir::toString);
    }

    @Autowired
    AccountService accounts;

    @Autowired
    TestRestTemplate http;

    @Autowired
    DataSource dataSource;

    @Test
    void theUrlAloneMadeSafeSqlitesDataSource() {
        assertTrue(dataSource instanceof SafeSqliteDataSource, dataSource.getClass().getName());
    }

    @Test
    void actuatorHealthShowsSafeSqliteOverHttp() {
        ResponseEntity<Map> health = http.getForEntity("/actuator/health", Map.class);
        assertEquals(200, health.getStatusCode().value(), String.valueOf(health.getBody()));
        Map<?, ?> component = (Map<?, ?>) ((Map<?, ?>) health.getBody().get("components")).get("safesqlite");
        assertEquals("UP", component.get("status"), String.valueOf(component));
        Map<?, ?> details = (Map<?, ?>) component.get("details");
        assertEquals("wal", details.get("journalMode"));
        assertTrue(details.containsKey("walBytes") && details.containsKey("writersQueued"), String.valueOf(details));
    }

    @Test
    void actuatorMetricsShowSafeSqlitesMetersOverHttp() {
        accounts.total(); // at least one query measured
        ResponseEntity<Map> names = http.getForEntity("/actuator/metrics", Map.class);
        assertEquals(200, names.getStatusCode().value());
        List<?> all = (List<?>) names.getBody().get("names");
        assertTrue(all.contains("safesqlite.query") && all.contains("safesqlite.gate.wait")
                && all.contains("safesqlite.wal.bytes"), String.valueOf(all));
        ResponseEntity<Map> query = http.getForEntity("/actuator/metrics/safesqlite.query?tag=database:shop", Map.class);
        assertEquals(200, query.getStatusCode().value(), String.valueOf(query.getBody()));
        List<?> tags = (List<?>) query.getBody().get("availableTags");
        assertTrue(String.valueOf(tags).contains("sql"), "query timers are tagged by normalized SQL: " + tags);
    }

    @Test
    void flywayMigratedTheSchema() {
        assertEquals(50, accounts.accounts());
        assertEquals(50_000, accounts.total());
    }

    @Test
    void manyConcurrentTransfersAndReportsWithNoErrors() throws Exception {
        MetricRegistry metrics = SharedMetricRegistries.getOrCreate("safesqlite");
        long gateWaitsBefore = metrics.timer("safesqlite.shop.gate.wait").getCount();
        long readerLoansBefore = metrics.counter("safesqlite.shop.reader.loans").getCount();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            boolean reporter = t == 7;
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 100; i++) {
                    try {
                        if (reporter) {
                            assertEquals(50_000, accounts.total(), "every snapshot is consistent");
                        } else {
                            ThreadLocalRandom r = ThreadLocalRandom.current();
                            accounts.transfer(1 + r.nextInt(50), 1 + r.nextInt(50), 1 + r.nextInt(100));
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(120_000);
        }
        assertTrue(errors.isEmpty(), () -> errors.size() + " errors, first: " + errors.peek());
        assertEquals(50_000, accounts.total());
        // Writes went through the writer gate; read-only transactions borrowed readers.
        assertTrue(metrics.timer("safesqlite.shop.gate.wait").getCount() - gateWaitsBefore >= 700);
        assertTrue(metrics.counter("safesqlite.shop.reader.loans").getCount() - readerLoansBefore >= 100);
    }

    @Test
    void readOnlyTransactionsRunOnReadOnlyConnections() {
        DataAccessException e = assertThrows(DataAccessException.class, accounts::writeInReadOnlyTransaction);
        assertTrue(e.getMessage().contains("the connection is read-only"), e.getMessage());
        assertEquals(50_000, accounts.total());
    }
}
