package dev.speck.enrich;

import dev.speck.hit.Hit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cookieless visitor ids: a keyed hash of pixel, IP and user agent under a salt that changes every UTC day
 * and is deleted two days later, so a visitor is recognisable within a day and unlinkable across days.
 * Salts are kept on disk so that a restart keeps the day's ids.
 */
final class VisitorIds {

    static final int KEEP_DAYS = 2;
    private static final int SALT_BYTES = 32;
    private static final int ID_BYTES = 12;
    private static final String PREFIX = "salt-";
    private static final String ALGORITHM = "HmacSHA256";

    private final Path saltDirectory;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<LocalDate, SecretKeySpec> salts = new ConcurrentHashMap<>();
    private final ThreadLocal<KeyedMac> macs = ThreadLocal.withInitial(() -> new KeyedMac(newMac()));

    /** A thread's Mac and the salt it was last keyed with. */
    private static final class KeyedMac {
        final Mac mac;
        SecretKeySpec key;

        KeyedMac(Mac mac) {
            this.mac = mac;
        }
    }

    VisitorIds(Path saltDirectory, Clock clock) throws IOException {
        this.saltDirectory = Files.createDirectories(saltDirectory);
        this.clock = clock;
        deleteSaltsBefore(today().minusDays(KEEP_DAYS), null);
    }

    /** The visitor id of a hit: 16 base64url characters. */
    String idFor(Hit hit) {
        LocalDate day = LocalDate.ofInstant(Instant.ofEpochMilli(hit.receivedAt()), ZoneOffset.UTC);
        SecretKeySpec salt = salts.get(day);
        if (salt == null) {
            salt = saltFor(day);
        }
        try {
            KeyedMac keyed = macs.get();
            Mac mac = keyed.mac;
            if (keyed.key != salt) { // keyed once per salt: doFinal leaves a Mac keyed as it was
                mac.init(salt);
                keyed.key = salt;
            }
            mac.update(bytes(hit.pixel()));
            mac.update((byte) 0);
            mac.update(bytes(hit.client().ip()));
            mac.update((byte) 0);
            mac.update(bytes(hit.client().userAgent()));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(mac.doFinal(), ID_BYTES));
        } catch (GeneralSecurityException impossibleForAnHmacKey) {
            throw new IllegalStateException(impossibleForAnHmacKey);
        }
    }

    private synchronized SecretKeySpec saltFor(LocalDate day) {
        SecretKeySpec salt = salts.get(day);
        if (salt != null) {
            return salt;
        }
        salt = new SecretKeySpec(readOrCreate(day), ALGORITHM);
        salts.put(day, salt);
        deleteSaltsBefore(today().minusDays(KEEP_DAYS), day);
        return salt;
    }

    private byte[] readOrCreate(LocalDate day) {
        Path file = saltDirectory.resolve(PREFIX + day);
        try {
            if (Files.isRegularFile(file) && Files.size(file) == SALT_BYTES) {
                return Files.readAllBytes(file);
            }
        } catch (IOException unreadable) {
            // fall through to a fresh salt: ids of today change, which is better than no ids
        }
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        try {
            Path temporary = Files.createTempFile(saltDirectory, PREFIX, ".tmp");
            Files.write(temporary, salt);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException unwritable) {
            // keep the salt in memory only: ids stay stable until a restart
        }
        return salt;
    }

    /** Forgets salts of days before {@code oldestKept}; {@code inUse} survives (a late or replayed hit). */
    private void deleteSaltsBefore(LocalDate oldestKept, LocalDate inUse) {
        salts.keySet().removeIf(day -> day.isBefore(oldestKept) && !day.equals(inUse));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(saltDirectory, PREFIX + "*")) {
            for (Path file : files) {
                LocalDate day = dayOf(file);
                if (day != null && day.isBefore(oldestKept) && !day.equals(inUse)) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException notNow) {
            // retried when the next day's salt is created
        }
    }

    private static LocalDate dayOf(Path file) {
        try {
            return LocalDate.parse(file.getFileName().toString().substring(PREFIX.length()));
        } catch (DateTimeParseException notASaltFile) {
            return null;
        }
    }

    private LocalDate today() {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC));
    }

    private static byte[] bytes(String text) {
        return text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
    }

    private static Mac newMac() {
        try {
            return Mac.getInstance(ALGORITHM);
        } catch (GeneralSecurityException missingFromEveryJdk) {
            throw new IllegalStateException(missingFromEveryJdk);
        }
    }
}
