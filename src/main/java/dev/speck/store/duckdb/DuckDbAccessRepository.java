package dev.speck.store.duckdb;

import dev.speck.access.AccessRepository;
import dev.speck.access.ApiKey;
import dev.speck.access.KeyScope;
import dev.speck.access.Role;
import dev.speck.access.Session;
import dev.speck.access.User;
import dev.speck.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Users, sessions and API keys in their own tables. Passwords, session tokens and key secrets only as hashes. */
public final class DuckDbAccessRepository implements AccessRepository {

    private static final String[] DDL = {
            "CREATE TABLE IF NOT EXISTS users (name VARCHAR PRIMARY KEY, role VARCHAR NOT NULL, "
                    + "password_hash VARCHAR NOT NULL, created TIMESTAMP NOT NULL)",
            "CREATE TABLE IF NOT EXISTS sessions (id VARCHAR PRIMARY KEY, user_name VARCHAR NOT NULL, "
                    + "csrf_token VARCHAR NOT NULL, created TIMESTAMP NOT NULL, last_seen TIMESTAMP NOT NULL)",
            "CREATE TABLE IF NOT EXISTS api_keys (id VARCHAR PRIMARY KEY, secret_hash VARCHAR NOT NULL UNIQUE, "
                    + "name VARCHAR NOT NULL, scope VARCHAR NOT NULL, pixels VARCHAR[] NOT NULL, "
                    + "created TIMESTAMP NOT NULL, created_by VARCHAR NOT NULL, last_used TIMESTAMP)"};
    private static final String KEY_COLUMNS = "id, name, scope, pixels, created, created_by, last_used";

    private final DuckDbDatabase database;

    public DuckDbAccessRepository(DuckDbDatabase database) {
        this.database = database;
        try (Connection c = database.connect(); Statement st = c.createStatement()) {
            for (String ddl : DDL) {
                st.execute(ddl);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot create the access tables: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Credentials> credentials(String name) {
        return queryOne("SELECT name, role, created, password_hash FROM users WHERE name = ?",
                rs -> new Credentials(user(rs), rs.getString(4)), name);
    }

    @Override
    public List<User> users() {
        return query("SELECT name, role, created FROM users ORDER BY name", DuckDbAccessRepository::user);
    }

    private static User user(ResultSet rs) throws SQLException {
        return new User(rs.getString(1), Role.parse(rs.getString(2)), rs.getTimestamp(3).toInstant());
    }

    @Override
    public void insertUser(User user, String passwordHash) {
        update("INSERT INTO users (name, role, password_hash, created) VALUES (?, ?, ?, ?)",
                user.name(), user.role().wireName(), passwordHash, Timestamp.from(user.created()));
    }

    @Override
    public void updateRole(String name, Role role) {
        update("UPDATE users SET role = ? WHERE name = ?", role.wireName(), name);
    }

    @Override
    public void updatePassword(String name, String passwordHash) {
        update("UPDATE users SET password_hash = ? WHERE name = ?", passwordHash, name);
    }

    @Override
    public void deleteUser(String name) {
        update("DELETE FROM users WHERE name = ?", name);
    }

    @Override
    public void insertSession(Session s) {
        update("INSERT INTO sessions (id, user_name, csrf_token, created, last_seen) VALUES (?, ?, ?, ?, ?)",
                s.id(), s.user(), s.csrfToken(), Timestamp.from(s.created()), Timestamp.from(s.lastSeen()));
    }

    @Override
    public Optional<Session> session(String id) {
        return queryOne("SELECT id, user_name, csrf_token, created, last_seen FROM sessions WHERE id = ?",
                rs -> new Session(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                        rs.getTimestamp(5).toInstant()), id);
    }

    @Override
    public void touchSession(String id, Instant lastSeen) {
        update("UPDATE sessions SET last_seen = ? WHERE id = ?", Timestamp.from(lastSeen), id);
    }

    @Override
    public void deleteSession(String id) {
        update("DELETE FROM sessions WHERE id = ?", id);
    }

    @Override
    public void deleteSessionsOf(String user) {
        update("DELETE FROM sessions WHERE user_name = ?", user);
    }

    @Override
    public void deleteExpiredSessions(Instant idleBefore, Instant createdBefore) {
        update("DELETE FROM sessions WHERE last_seen < ? OR created < ?", Timestamp.from(idleBefore),
                Timestamp.from(createdBefore));
    }

    @Override
    public void insertKey(ApiKey key, String secretHash) {
        try (Connection c = database.connect();
             PreparedStatement ps = c.prepareStatement("INSERT INTO api_keys (id, secret_hash, name, scope, pixels, "
                     + "created, created_by, last_used) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)")) {
            ps.setString(1, key.id());
            ps.setString(2, secretHash);
            ps.setString(3, key.name());
            ps.setString(4, key.scope().wireName());
            ps.setArray(5, c.createArrayOf("VARCHAR", key.pixels().toArray()));
            ps.setTimestamp(6, Timestamp.from(key.created()));
            ps.setString(7, key.createdBy());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot save an API key: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<ApiKey> keyBySecretHash(String secretHash) {
        return queryOne("SELECT " + KEY_COLUMNS + " FROM api_keys WHERE secret_hash = ?",
                DuckDbAccessRepository::key, secretHash);
    }

    @Override
    public List<ApiKey> keys() {
        return query("SELECT " + KEY_COLUMNS + " FROM api_keys ORDER BY created", DuckDbAccessRepository::key);
    }

    private static ApiKey key(ResultSet rs) throws SQLException {
        Object[] pixels = (Object[]) rs.getArray(4).getArray();
        Timestamp lastUsed = rs.getTimestamp(7);
        return new ApiKey(rs.getString(1), rs.getString(2), KeyScope.parse(rs.getString(3)),
                Arrays.stream(pixels).map(String::valueOf).toList(), rs.getTimestamp(5).toInstant(), rs.getString(6),
                lastUsed == null ? null : lastUsed.toInstant());
    }

    @Override
    public boolean deleteKey(String id) {
        return update("DELETE FROM api_keys WHERE id = ?", id) > 0;
    }

    @Override
    public void touchKey(String id, Instant lastUsed) {
        update("UPDATE api_keys SET last_used = ? WHERE id = ?", Timestamp.from(lastUsed), id);
    }

    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, RowReader<T> reader, Object... args) {
        List<T> out = new ArrayList<>();
        try (Connection c = database.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(reader.read(rs));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("access query failed: " + e.getMessage(), e);
        }
        return out;
    }

    private <T> Optional<T> queryOne(String sql, RowReader<T> reader, Object... args) {
        return query(sql, reader, args).stream().findFirst();
    }

    private int update(String sql, Object... args) {
        try (Connection c = database.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("access update failed: " + e.getMessage(), e);
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }
}
