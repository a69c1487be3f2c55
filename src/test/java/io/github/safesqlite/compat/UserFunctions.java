package io.github.safesqlite.compat;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.sqlite.Collation;
import org.sqlite.Function;
import org.sqlite.SQLiteConnection;

/** What a program registers on sqlite-jdbc: a scalar, an aggregate and a window function, a collation, an update hook. */
final class UserFunctions {

    /** Changes the update hook heard, as "INSERT n" lines. */
    final List<String> updates = new CopyOnWriteArrayList<>();

    void register(SQLiteConnection c, boolean hooks) throws SQLException {
        Function.create(c, "twice", new Function() {
            @Override
            protected void xFunc() throws SQLException {
                result(value_long(0) * 2);
            }
        });
        Function.create(c, "sumsq", new Function.Aggregate() {
            private long sum;

            @Override
            protected void xStep() throws SQLException {
                sum += value_long(0) * value_long(0);
            }

            @Override
            protected void xFinal() throws SQLException {
                result(sum);
            }
        });
        Function.create(c, "moving", new Function.Window() {
            private long sum;

            @Override
            protected void xStep() throws SQLException {
                sum += value_long(0);
            }

            @Override
            protected void xInverse() throws SQLException {
                sum -= value_long(0);
            }

            @Override
            protected void xValue() throws SQLException {
                result(sum);
            }

            @Override
            protected void xFinal() throws SQLException {
                result(sum);
            }
        });
        Collation.create(c, "reverse", new Collation() {
            @Override
            protected int xCompare(String a, String b) {
                return b.compareTo(a);
            }
        });
        if (hooks) {
            c.addUpdateListener((type, database, table, rowId) -> updates.add(type + " " + table + " " + rowId));
        }
    }
}
