package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.BackoffIdleStrategy;

import io.aeron.Aeron;
import io.aeron.driver.Configuration;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FrameDescriptor;

/**
 * An Aeron media driver embedded in this JVM, with a client connected to it: {@link ThreadingMode#SHARED} and Aeron's
 * default {@link BackoffIdleStrategy} (10 spins, 20 yields, then parks of 1 µs doubling to 1 ms), for the reasons
 * {@link PeerAeronIpcMechanism} gives. Its directory is made in a directory only its owner can enter, under
 * {@code /dev/shm} where it exists (Aeron's own default), and can be removed as soon as every process that uses it
 * has mapped what it needs ({@link #removeDirectory}).
 */
final class EmbeddedAeron implements AutoCloseable {
    private final Path privateDirectory;
    private final MediaDriver driver;
    private final Aeron aeron;
    private final AeronFailure failure;
    private boolean closed;

    private EmbeddedAeron(Path privateDirectory, MediaDriver driver, Aeron aeron, AeronFailure failure) {
        this.privateDirectory = privateDirectory;
        this.driver = driver;
        this.aeron = aeron;
        this.failure = failure;
    }

    /** Why Aeron cannot carry {@code size}-byte messages in this JVM, or null: at most 16 MiB, and Agrona let in. */
    static String cannotCarry(int size) {
        String closed = AgronaAccess.problem();
        if (closed != null) {
            return closed;
        }
        return size > FrameDescriptor.MAX_MESSAGE_LENGTH ? "Aeron takes messages of at most "
                + FrameDescriptor.MAX_MESSAGE_LENGTH + " bytes" : null;
    }

    /**
     * Starts a driver in a new private directory and connects a client to it, after removing the directories of
     * benchmarks that died before removing theirs ({@link #sweepStale}).
     */
    static EmbeddedAeron launch(String kind) throws IOException {
        sweepStale();
        Path parent = parent();
        Path privateDirectory = Files.createTempDirectory(parent, BenchDirectories.prefix(kind),
                BenchDirectories.OWNER_ONLY);
        MediaDriver driver = null;
        try {
            driver = MediaDriver.launch(new MediaDriver.Context()
                    .aeronDirectoryName(privateDirectory.resolve("aeron").toString())
                    .threadingMode(ThreadingMode.SHARED)
                    .sharedIdleStrategy(new BackoffIdleStrategy(Configuration.IDLE_MAX_SPINS,
                            Configuration.IDLE_MAX_YIELDS, Configuration.IDLE_MIN_PARK_NS,
                            Configuration.IDLE_MAX_PARK_NS)) // Aeron's default, written out
                    .dirDeleteOnStart(true)
                    .dirDeleteOnShutdown(true)
                    .printConfigurationOnStart(false));
            AeronFailure failure = new AeronFailure();
            return new EmbeddedAeron(privateDirectory, driver, client(driver.aeronDirectoryName(), failure), failure);
        } catch (RuntimeException e) {
            CloseHelper.quietClose(driver);
            IoUtil.delete(privateDirectory.toFile(), true);
            throw e;
        }
    }

    private static Path parent() {
        return Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm")
                : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /**
     * Removes the Aeron directories ({@code ipc-atlas-bench-aeron…-PID-…}) whose creating process no longer runs: a
     * benchmark or peer killed during the second or so of setup, before it removed its own. Best effort: a directory
     * that cannot be listed is left for the next sweep.
     */
    static void sweepStale() {
        Pattern ours = Pattern.compile("ipc-atlas-bench-aeron(?:-udp)?-(\\d+)-.*");
        try (Stream<Path> entries = Files.list(parent())) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                Matcher name = ours.matcher(entry.getFileName().toString());
                if (name.matches() && ProcessHandle.of(Long.parseLong(name.group(1))).isEmpty()
                        && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    IoUtil.delete(entry.toFile(), true);
                }
            }
        } catch (IOException | UncheckedIOException unreadable) {
            // nothing swept now; the next launch tries again
        }
    }

    /**
     * A client of the driver whose directory is {@code aeronDirectory}, touching every page it maps at once, reporting
     * its errors to {@code failure}.
     */
    static Aeron client(String aeronDirectory, AeronFailure failure) {
        return Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDirectory).preTouchMappedMemory(true)
                .errorHandler(failure));
    }

    /** The driver's directory, which other processes' clients connect through. */
    String directory() {
        return driver.aeronDirectoryName();
    }

    Aeron aeron() {
        return aeron;
    }

    /** Where this JVM's client reports its errors. */
    AeronFailure failure() {
        return failure;
    }

    /** Removes the driver's directory and everything in it: mapped files stay mapped. Idempotent. */
    void removeDirectory() {
        IoUtil.delete(privateDirectory.toFile(), true);
    }

    /**
     * Closes the client, then the driver, and removes the directory if it is still there. Idempotent. Close it only
     * once every other process's client has closed: a client whose driver is gone exits on its next check.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            CloseHelper.closeAll(aeron, driver);
        } finally {
            removeDirectory();
        }
    }
}
