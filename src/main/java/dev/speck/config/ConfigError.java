package dev.speck.config;

/** A configuration value Speck cannot use; the message names the key, the value and what is allowed. */
public final class ConfigError extends RuntimeException {

    public ConfigError(String key, String value, String allowed) {
        super("configuration " + key + "=" + (value == null ? "(unset)" : "'" + value + "'") + " is invalid: " + allowed);
    }
}
