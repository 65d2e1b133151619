package dev.speck.access;

import java.time.Instant;

/** A person who signs in to the console; the password hash stays in the repository. */
public record User(String name, Role role, Instant created) {
}
