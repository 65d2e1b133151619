package dev.speck.access;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

/** API keys for scripts and tools: made with a scope and pixels, shown once, stored as a hash, revocable. */
public final class ApiKeys {

    public static final String PREFIX = "spk_";
    private static final Duration TOUCH_EVERY = Duration.ofSeconds(60);

    private final AccessRepository repository;
    private final InstantSource clock;

    public ApiKeys(AccessRepository repository, InstantSource clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /** A new key and its secret: the only time the secret exists outside the caller's hands. */
    public record Created(String secret, ApiKey key) {
    }

    public Created create(String name, KeyScope scope, List<String> pixels, String createdBy) {
        String secret = PREFIX + Tokens.random256();
        ApiKey key = new ApiKey(Tokens.random(9), name, scope, pixels, clock.instant(), createdBy, null);
        repository.insertKey(key, Tokens.sha256(secret));
        return new Created(secret, key);
    }

    /** The key a bearer secret stands for; notes when it was last used (at most once a minute). */
    public Optional<ApiKey> find(String secret) {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() != PREFIX.length() + 43) {
            return Optional.empty();
        }
        Optional<ApiKey> key = repository.keyBySecretHash(Tokens.sha256(secret));
        key.ifPresent(k -> {
            Instant now = clock.instant();
            if (k.lastUsed() == null || now.isAfter(k.lastUsed().plus(TOUCH_EVERY))) {
                try {
                    repository.touchKey(k.id(), now);
                } catch (RuntimeException conflict) {
                    // Two calls with one key at once both note its use, and the store refuses the
                    // second write ("Conflict on update", found by bench/hostile.sh): the note is
                    // the other call's, and this call must not fail (it answered 500).
                }
            }
        });
        return key;
    }

    public List<ApiKey> list() {
        return repository.keys();
    }

    /** @return false when there was no such key */
    public boolean revoke(String id) {
        return repository.deleteKey(id);
    }
}
