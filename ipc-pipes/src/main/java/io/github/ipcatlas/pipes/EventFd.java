package io.github.ipcatlas.pipes;

import static io.github.ipcatlas.core.linux.LinuxConstants.O_CLOEXEC;
import static io.github.ipcatlas.core.linux.LinuxConstants.O_NONBLOCK;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import io.github.ipcatlas.core.Deadline;
import io.github.ipcatlas.core.DescriptorLease;
import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.FdChannel;
import io.github.ipcatlas.core.NativeLibrary;
import io.github.ipcatlas.core.linux.Native;
import io.github.ipcatlas.pipes.internal.EventFdLibC;

/**
 * A counter in the kernel behind a file descriptor ({@code eventfd(2)}): {@link #add} adds to it, {@link #take}
 * waits until it is not zero and takes from it — all of it, or one in {@link Mode#SEMAPHORE} mode. The cross-process
 * twin of {@code threading.Event} (and of a semaphore), where a pipe would carry bytes nobody reads: one descriptor
 * instead of two, eight bytes of kernel memory instead of a page, and wake-ups that merge (ten adds before a take are
 * one take of ten).
 *
 * <pre>{@code
 * try (EventFd done = EventFd.create(0, EventFd.Mode.COUNTER)) {
 *     ChildProcess child = ChildJvm.builder(Worker.class).inheritFd(done.channel(), 3).start();
 *     long finished = done.take(Duration.ofSeconds(10));     // 0: nothing within 10 s
 * }
 * // in the child: EventFd.inherited(3, EventFd.Mode.COUNTER).add(1);
 * }</pre>
 *
 * <p>The counter holds 0 to {@link #MAX_COUNT} (2^64 − 2, unsigned); an add that would pass it waits until a take
 * makes room. Created close-on-exec and non-blocking, so a timed wait never overstays its deadline even when several
 * readers race; hand it to a child on purpose with {@code inheritFd(eventFd.channel(), n)}. Reads and writes of other
 * than 8 bytes fail with {@code EINVAL}: use this class's methods, not the channel's. Thread-safe; allocates nothing
 * per call once created.
 */
public final class EventFd implements AutoCloseable {
    /** The largest count, 2^64 − 2 read as unsigned (it is −2 as a Java {@code long}). */
    public static final long MAX_COUNT = 0xfffffffffffffffeL;

    /** What a take takes. */
    public enum Mode {
        /** All of the counter (the count since the last take), leaving 0: an event, with how many times it fired. */
        COUNTER,
        /** One, leaving the rest ({@code EFD_SEMAPHORE}): a counting semaphore across processes. */
        SEMAPHORE
    }

    private final FdChannel channel;
    private final Mode mode;
    private final ByteBuffer in = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.nativeOrder());
    private final ByteBuffer out = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.nativeOrder());

    private EventFd(FdChannel channel, Mode mode) {
        this.channel = channel;
        this.mode = mode;
    }

    /**
     * Creates a counter set to {@code initial} ({@code eventfd(2)} with {@code EFD_CLOEXEC}, {@code EFD_NONBLOCK},
     * and {@code EFD_SEMAPHORE} in that mode).
     *
     * @param initial 0 to 4294967295 (the system call takes an unsigned int)
     */
    public static EventFd create(long initial, Mode mode) throws IOException {
        Objects.requireNonNull(mode, "mode");
        if (initial < 0 || initial > 0xffffffffL) {
            throw new IllegalArgumentException("initial count " + initial + " is outside 0 to 4294967295");
        }
        int flags = O_CLOEXEC | O_NONBLOCK | (mode == Mode.SEMAPHORE ? EventFdLibC.EFD_SEMAPHORE : 0);
        int fd = Binding.EVENTFD.eventfd((int) initial, flags);
        if (fd < 0) {
            int errno = Native.errno();
            throw Errors.of("eventfd", "counter", errno, errno == Errors.EMFILE
                    ? "this process has as many descriptors open as RLIMIT_NOFILE allows (ulimit -n)" : null);
        }
        try {
            return new EventFd(new FdChannel(fd, "eventfd " + fd), mode);
        } catch (IOException | RuntimeException e) {
            Native.libc().close(fd);
            throw e;
        }
    }

    /**
     * Takes ownership of descriptor {@code fd}, which this process inherited, after checking that it is an eventfd
     * (and, where the kernel says so in {@code /proc/self/fdinfo}, one in {@code expected} mode). Sets
     * {@code O_NONBLOCK} on it, for the open file that every process sharing it sees, so that timed waits keep
     * their deadline.
     *
     * @throws IllegalArgumentException if {@code fd} is not an open eventfd, or one in the other mode
     */
    public static EventFd inherited(int fd, Mode expected) throws IOException {
        Objects.requireNonNull(expected, "expected");
        if (fd < 0) {
            throw new IllegalArgumentException("file descriptor " + fd + " is negative");
        }
        Path link = Path.of("/proc/self/fd/" + fd);
        String target;
        try {
            target = Files.readSymbolicLink(link).toString();
        } catch (IOException notOpen) {
            throw new IllegalArgumentException("file descriptor " + fd + " is not open in this process", notOpen);
        }
        if (!target.equals("anon_inode:[eventfd]")) {
            throw new IllegalArgumentException("file descriptor " + fd + " is " + target + ", not an eventfd");
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
            if (line.startsWith("eventfd-semaphore:")) {
                Mode actual = line.substring(line.indexOf(':') + 1).strip().equals("1") ? Mode.SEMAPHORE : Mode.COUNTER;
                if (actual != expected) {
                    throw new IllegalArgumentException("eventfd " + fd + " is in " + actual + " mode, not " + expected);
                }
            }
        }
        FdChannel channel = new FdChannel(fd, "inherited eventfd " + fd);
        try {
            channel.setNonBlocking(true);
            return new EventFd(channel, expected);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** What a take takes. */
    public Mode mode() {
        return mode;
    }

    /**
     * Adds {@code n} to the counter, waking every process waiting in {@link #take}; waits as long as it takes if the
     * counter is too full to add {@code n} (only a counter near {@link #MAX_COUNT} is).
     *
     * @param n 1 to {@link Long#MAX_VALUE}
     */
    public void add(long n) throws IOException {
        checkCount(n);
        synchronized (out) {
            channel.write(out.clear().putLong(0, n));
        }
    }

    /**
     * {@link #add(long)}, waiting at most {@code timeout} for room.
     *
     * @return false if the counter stayed too full until the deadline (nothing was added)
     */
    public boolean add(long n, Duration timeout) throws IOException {
        checkCount(n);
        Deadline.check(timeout);
        synchronized (out) {
            return channel.write(out.clear().putLong(0, n), timeout) == Long.BYTES;
        }
    }

    /**
     * Waits until the counter is not zero, then takes from it: all of it in {@link Mode#COUNTER} mode, 1 in
     * {@link Mode#SEMAPHORE} mode.
     *
     * @return what was taken: at least 1 (an unsigned count, negative as a Java {@code long} above
     *         {@link Long#MAX_VALUE}, which only another process adding that much makes it)
     */
    public long take() throws IOException {
        synchronized (in) {
            channel.read(in.clear());
            return taken();
        }
    }

    /**
     * {@link #take()}, waiting at most {@code timeout} ({@code Duration.ZERO}: not at all).
     *
     * @return what was taken, or 0 if the counter stayed zero until the deadline
     */
    public long take(Duration timeout) throws IOException {
        Deadline.check(timeout);
        synchronized (in) {
            return channel.read(in.clear(), timeout) == Long.BYTES ? taken() : 0;
        }
    }

    /** The count just read into {@link #in}; a read of an eventfd is all 8 bytes or nothing. */
    private long taken() throws IOException {
        if (in.position() != Long.BYTES) {
            throw new IOException(channel.description() + ": read " + in.position() + " bytes, not 8");
        }
        return in.getLong(0);
    }

    /**
     * The channel over the descriptor, to hand it to a child ({@code ChildJvm.builder(...).inheritFd(channel(), 3)})
     * or to poll it beside others. Leases ({@link FdChannel#lease()}) keep its number valid across a close.
     */
    public FdChannel channel() {
        return channel;
    }

    /** Leases the descriptor (see {@link FdChannel#lease()}). */
    public DescriptorLease lease() throws IOException {
        return channel.lease();
    }

    /** Whether {@link #close()} has not been called. */
    public boolean isOpen() {
        return channel.isOpen();
    }

    /** Closes this process's descriptor; the counter lives on while another process holds one. Idempotent. */
    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return channel.description() + " (" + mode + (isOpen() ? "" : ", closed") + ")";
    }

    private static void checkCount(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("count " + n + " must be 1 or more (0 would wake nobody)");
        }
    }

    private static final class Binding {
        static final EventFdLibC EVENTFD = NativeLibrary.load(EventFdLibC.class, "c");
    }
}
