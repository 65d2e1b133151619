package dev.speck.privacy;

import java.util.function.Supplier;

/**
 * The account settings in force, held as an immutable snapshot in a volatile field: the collector
 * reads it per hit without a lock or any I/O; a change is saved first, then takes effect at once.
 */
public final class AccountSettingsRegistry implements Supplier<AccountSettings> {

    private final AccountSettingsRepository repository;
    private volatile AccountSettings current;

    public AccountSettingsRegistry(AccountSettingsRepository repository) {
        this.repository = repository;
        this.current = repository.load().orElse(AccountSettings.DEFAULTS);
    }

    @Override
    public AccountSettings get() {
        return current;
    }

    public synchronized AccountSettings update(AccountSettings settings) {
        repository.save(settings);
        current = settings;
        return settings;
    }
}
