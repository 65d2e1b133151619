package dev.speck.store.duckdb;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;

/**
 * A connection that holds a {@link DuckDbDatabase.Lease} until it is closed, so that whatever runs
 * on it is kept out of {@link DuckDbDatabase#releaseCache()}'s moment at almost no memory, where a
 * query died ("Out of Memory (946.0 KiB/976.5 KiB used)", a report's 500). Everything else is the
 * connection's own.
 */
final class LeasedConnection {

    private LeasedConnection() {
    }

    static Connection of(Connection connection, DuckDbDatabase.Lease lease) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) {
                        try (lease) {
                            connection.close();
                        }
                        return null;
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
