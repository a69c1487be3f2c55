package example.shop;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Read-then-write transfers and read-only reports. Read-write transactions run on safesqlite's one
 * writer, serialized; read-only ones on a reader with one snapshot, in parallel with the writer.
 */
@Service
public class AccountService {

    private final JdbcTemplate jdbc;

    public AccountService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Moves money if the source has enough; returns whether it moved. */
    @Transactional
    public boolean transfer(long from, long to, long amount) {
        Long balance = jdbc.queryForObject("SELECT balance FROM account WHERE id = ?", Long.class, from);
        if (balance == null || balance < amount) {
            return false;
        }
        jdbc.update("UPDATE account SET balance = balance - ? WHERE id = ?", amount, from);
        jdbc.update("UPDATE account SET balance = balance + ? WHERE id = ?", amount, to);
        return true;
    }

    /** The total of all balances, read in one snapshot. */
    @Transactional(readOnly = true)
    public long total() {
        Long sum = jdbc.queryForObject("SELECT sum(balance) FROM account", Long.class);
        return sum == null ? 0 : sum;
    }

    /** A mistake: writing inside a read-only transaction. safesqlite refuses it. */
    @Transactional(readOnly = true)
    public void writeInReadOnlyTransaction() {
        jdbc.update("UPDATE account SET balance = 0");
    }

    /** Number of accounts. */
    @Transactional(readOnly = true)
    public int accounts() {
        Integer n = jdbc.queryForObject("SELECT count(*) FROM account", Integer.class);
        return n == null ? 0 : n;
    }
}
