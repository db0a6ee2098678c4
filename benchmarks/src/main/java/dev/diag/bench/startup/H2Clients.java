package dev.diag.bench.startup;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real application nobody here wrote: the H2 SQL database, embedded, with its own threads, and client threads that
 * insert, query and update rows from the first line of {@code main} for a fixed time; prints the rows processed.
 * The first seconds are what a start-up costs an application, so there is no warm-up.
 *
 * <pre>java -cp benchmarks.jar dev.diag.bench.startup.H2Clients SECONDS CLIENTS</pre>
 */
public final class H2Clients {
    public static void main(String[] args) throws Exception {
        long seconds = Long.parseLong(args[0]);
        int clients = Integer.parseInt(args[1]);
        String url = "jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders(id BIGINT PRIMARY KEY, client INT, amount DECIMAL(12,2), note VARCHAR(64))");
            s.execute("CREATE INDEX orders_client ON orders(client, amount)");
        }
        AtomicLong rows = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        Thread[] threads = new Thread[clients];
        for (int t = 0; t < clients; t++) {
            int client = t;
            threads[t] = new Thread(() -> {
                try {
                    rows.addAndGet(runClient(url, client, end));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "client-" + t);
            threads[t].start();
        }
        for (Thread t : threads) t.join();
        System.out.println("rows " + rows.get());
    }

    private static long runClient(String url, int client, long end) throws Exception {
        long rows = 0;
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement insert = c.prepareStatement("INSERT INTO orders VALUES (?, ?, ?, ?)");
             PreparedStatement query = c.prepareStatement(
                     "SELECT COUNT(*), SUM(amount) FROM orders WHERE client = ? AND amount BETWEEN ? AND ?");
             PreparedStatement update = c.prepareStatement("UPDATE orders SET amount = amount + 1 WHERE id = ?")) {
            for (long i = 0; System.nanoTime() < end; i++) {
                long id = i * 64 + client;
                insert.setLong(1, id);
                insert.setInt(2, client);
                insert.setLong(3, (id * 7919) % 10_000);
                insert.setString(4, "order " + id + " of client " + client);
                insert.executeUpdate();
                query.setInt(1, client);
                query.setLong(2, (i * 31) % 10_000);
                query.setLong(3, (i * 31) % 10_000 + 500);
                try (ResultSet r = query.executeQuery()) {
                    r.next();
                }
                update.setLong(1, id / 2 * 2);
                update.executeUpdate();
                rows += 3;
            }
        }
        return rows;
    }
}
