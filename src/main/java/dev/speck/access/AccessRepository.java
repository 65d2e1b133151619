package dev.speck.access;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where users, sessions and API keys are kept (store/duckdb implements it). Secrets only ever as hashes. */
public interface AccessRepository {

    /** A user with its password hash, for checking a sign-in. */
    record Credentials(User user, String passwordHash) {
    }

    Optional<Credentials> credentials(String name);

    List<User> users();

    void insertUser(User user, String passwordHash);

    void updateRole(String name, Role role);

    void updatePassword(String name, String passwordHash);

    void deleteUser(String name);

    void insertSession(Session session);

    Optional<Session> session(String id);

    void touchSession(String id, Instant lastSeen);

    void deleteSession(String id);

    void deleteSessionsOf(String user);

    /** Ends sessions idle since before {@code idleBefore} or signed in before {@code createdBefore}. */
    void deleteExpiredSessions(Instant idleBefore, Instant createdBefore);

    void insertKey(ApiKey key, String secretHash);

    Optional<ApiKey> keyBySecretHash(String secretHash);

    List<ApiKey> keys();

    /** @return false when there was no such key */
    boolean deleteKey(String id);

    void touchKey(String id, Instant lastUsed);
}
