package dev.speck.geo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * data-dir/geo/.update.lock, held by a geo update while it runs (the OS lets it go when the process dies):
 * the .staging- and .work- folders beside it belong to that update, and only a folder without a holder may
 * be cleaned of an interrupted one's. It holds the holder's process id, for messages.
 */
final class UpdateLock implements AutoCloseable {

    static final String FILE = ".update.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private UpdateLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock, or empty while another update (in this process or another) holds it. */
    static Optional<UpdateLock> tryTake(Path root) throws IOException {
        Files.createDirectories(root);
        FileChannel channel = FileChannel.open(root.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException heldInThisProcess) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            return Optional.empty();
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)));
        return Optional.of(new UpdateLock(channel, lock));
    }

    /** "process 1234" for the update holding the lock, as far as the file says. */
    static String holder(Path root) {
        try {
            String pid = Files.readString(root.resolve(FILE), StandardCharsets.US_ASCII).strip();
            return pid.matches("\\d+") ? "process " + pid : "another process";
        } catch (IOException unreadable) {
            return "another process";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
