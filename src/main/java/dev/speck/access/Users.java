package dev.speck.access;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The console's users: who exists, with which role, and whether a password is theirs. */
public final class Users {

    public static final String FIRST_ADMIN = "admin";
    static final int MIN_PASSWORD = 10;
    static final int MAX_PASSWORD = 256;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._@-]{0,63}");

    private final AccessRepository repository;
    private final PasswordHasher hasher = new PasswordHasher();
    private final String decoy;

    public Users(AccessRepository repository) {
        this.repository = repository;
        this.decoy = hasher.decoy();
    }

    /**
     * On first start (no users yet) creates the admin: with the configured password, else with a
     * generated one printed once to {@code out}, the only place it ever appears.
     */
    public void createFirstAdmin(String configuredPassword, PrintStream out) {
        if (!repository.users().isEmpty()) {
            return;
        }
        String password = configuredPassword;
        if (password == null) {
            password = Tokens.random(15); // 120 bits, 20 characters
            out.println("Speck: created the user '" + FIRST_ADMIN + "' with the password " + password);
            out.println("Speck: it is shown only this once; sign in at /console/ and change it there.");
            out.flush();
        } else {
            checkPassword(password);
        }
        repository.insertUser(new User(FIRST_ADMIN, Role.ADMIN, Instant.now()), hasher.hash(password));
    }

    /** The user when name and password match; an unknown name costs as long as a wrong password. */
    public Optional<User> verify(String name, String password) {
        Optional<AccessRepository.Credentials> c = repository.credentials(name);
        if (c.isEmpty()) {
            hasher.matches(password, decoy);
            return Optional.empty();
        }
        return hasher.matches(password, c.get().passwordHash()) ? Optional.of(c.get().user()) : Optional.empty();
    }

    public Optional<User> user(String name) {
        return repository.credentials(name).map(AccessRepository.Credentials::user);
    }

    public List<User> list() {
        return repository.users();
    }

    public User create(String name, Role role, String password) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "name must be 1 to 64 lower-case letters, digits or . _ @ -, starting with a letter or digit");
        }
        checkPassword(password);
        if (repository.credentials(name).isPresent()) {
            throw new Conflict("there is already a user '" + name + "'");
        }
        User user = new User(name, role, Instant.now());
        repository.insertUser(user, hasher.hash(password));
        return user;
    }

    public void setPassword(String name, String password) {
        checkPassword(password);
        repository.updatePassword(name, hasher.hash(password));
    }

    /**
     * Sets a password hashed elsewhere ({@code speck admin reset-password}); a user that does not exist
     * is made an admin, so access to a data folder can always be won back by whoever may write to it.
     *
     * @return whether the user had to be made
     */
    synchronized boolean resetPassword(String name, String passwordHash) {
        if (repository.credentials(name).isPresent()) {
            repository.updatePassword(name, passwordHash);
            return false;
        }
        repository.insertUser(new User(name, Role.ADMIN, Instant.now()), passwordHash);
        return true;
    }

    /** Changes a role; the last admin cannot stop being one. */
    public synchronized void setRole(String name, Role role) {
        User user = user(name).orElseThrow();
        if (user.role() == Role.ADMIN && role != Role.ADMIN && admins() == 1) {
            throw new Conflict("'" + name + "' is the last admin; make another user admin first");
        }
        repository.updateRole(name, role);
    }

    /** Deletes a user and ends their sessions; the last admin cannot be deleted. */
    public synchronized void delete(String name) {
        User user = user(name).orElseThrow();
        if (user.role() == Role.ADMIN && admins() == 1) {
            throw new Conflict("'" + name + "' is the last admin and cannot be deleted");
        }
        repository.deleteUser(name);
        repository.deleteSessionsOf(name);
    }

    private long admins() {
        return repository.users().stream().filter(u -> u.role() == Role.ADMIN).count();
    }

    static boolean validName(String name) {
        return NAME.matcher(name).matches();
    }

    static void checkPassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
            throw new IllegalArgumentException("a password must have " + MIN_PASSWORD + " to " + MAX_PASSWORD
                    + " characters");
        }
    }

    /** A change that would leave the accounts in a state they must not be in (409). */
    public static final class Conflict extends RuntimeException {
        Conflict(String message) {
            super(message, null, false, false);
        }
    }
}
