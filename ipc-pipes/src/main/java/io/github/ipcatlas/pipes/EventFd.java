package io.github.ipcatlas.pipes;

import static io.github.ipcatlas.core.linux.LinuxConstants.O_CLOEXEC;
import static io.github.ipcatlas.core.linux.LinuxConstants.O_NONBLOCK;
import static io.github.ipcatlas.core.linux.LinuxConstants.POLLIN;
import static io.github.ipcatlas.core.linux.LinuxConstants.POLLNVAL;
import static io.github.ipcatlas.core.linux.LinuxConstants.POLLOUT;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import io.github.ipcatlas.core.Deadline;
import io.github.ipcatlas.core.DescriptorLease;
import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.FdChannel;
import io.github.ipcatlas.core.NativeLibrary;
import io.github.ipcatlas.core.linux.DirectAddress;
import io.github.ipcatlas.core.linux.Native;
import io.github.ipcatlas.core.linux.PollFd;
import io.github.ipcatlas.core.linux.WriteBackOff;
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
 * makes room. Created close-on-exec and non-blocking, so that a timed call keeps its deadline even when other
 * threads or processes take the same count: they poll, then read, and go back to polling if another reader was
 * faster. That holds while the open file stays non-blocking; a holder that clears {@code O_NONBLOCK} (it is shared
 * by every process holding the file) can make a read that lost such a race wait for the next add. Hand it to a child
 * on purpose with {@code inheritFd(eventFd.channel(), n)}; use this class's methods, not the channel's (a write of
 * other than 8 bytes, or a read into fewer, fails with {@code EINVAL}).
 *
 * <p>Thread-safe: calls take no lock, so a timed call never waits behind another thread's. Like a pipe's read,
 * a take blocked in another thread is not woken by {@link #close()} or by an interrupt: only an add ends it, or its
 * deadline (a timed take racing a close returns 0 at its deadline). Untimed calls allocate nothing once a thread has
 * made its first; timed ones compute their deadline without allocating either.
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

    /** A deadline that never comes, for the untimed calls. */
    private static final long FOREVER = Long.MAX_VALUE;
    /** Each thread's 8-byte word and poll slot: calls take no lock, so a timed one never waits behind another. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final EventChannel channel;
    private final Mode mode;

    private EventFd(EventChannel channel, Mode mode) {
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
            return new EventFd(new EventChannel(fd, "eventfd " + fd), mode);
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
     * <p>The descriptor must be one nothing else in this JVM owns (no {@link FdChannel}, say): closing either owner
     * would close it under the other. It stays without close-on-exec, as it was inherited.
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
        EventChannel channel = new EventChannel(fd, "inherited eventfd " + fd);
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
        write(n, FOREVER);
    }

    /**
     * {@link #add(long)}, waiting at most {@code timeout} for room.
     *
     * @return false if the counter stayed too full to add {@code n} until the deadline (nothing was added)
     */
    public boolean add(long n, Duration timeout) throws IOException {
        checkCount(n);
        return write(n, deadline(timeout));
    }

    /**
     * Waits until the counter is not zero, then takes from it: all of it in {@link Mode#COUNTER} mode, 1 in
     * {@link Mode#SEMAPHORE} mode.
     *
     * @return what was taken: at least 1 (an unsigned count, negative as a Java {@code long} above
     *         {@link Long#MAX_VALUE}, which only another process adding that much makes it)
     */
    public long take() throws IOException {
        return read(FOREVER);
    }

    /**
     * {@link #take()}, waiting at most {@code timeout} ({@code Duration.ZERO}: not at all).
     *
     * @return what was taken, or 0 if the counter stayed zero until the deadline
     */
    public long take(Duration timeout) throws IOException {
        return read(deadline(timeout));
    }

    /** The {@code System.nanoTime()} at which {@code timeout} from now ends ({@link #FOREVER} if that overflows). */
    private static long deadline(Duration timeout) {
        long nanos = Deadline.check(timeout).toNanos();
        long now = System.nanoTime();
        return nanos >= FOREVER - now ? FOREVER : now + nanos;
    }

    /**
     * Reads the counter: an 8-byte read, and a poll while it would block (a count another reader took first means
     * waiting on). A timed read polls first, so that it keeps its deadline even on a descriptor another holder made
     * blocking; an untimed one reads at once, one system call when the count is there.
     */
    private long read(long deadline) throws IOException {
        Scratch scratch = SCRATCH.get();
        int fd = channel.acquire(); // a lease without an object: nothing allocated per call
        try {
            if (deadline != FOREVER && !scratch.await(fd, POLLIN, deadline, channel.description())) {
                return 0;
            }
            while (true) {
                long n = Native.libc().read(fd, scratch.address, Long.BYTES);
                if (n == Long.BYTES) {
                    return scratch.word.getLong(0);
                }
                if (n >= 0) {
                    throw new IOException(channel.description() + ": read " + n + " bytes, not 8");
                }
                int errno = Native.errno();
                if (errno != Errors.EAGAIN && errno != Errors.EINTR) {
                    throw Errors.of("read", channel.description(), errno);
                }
                if (errno == Errors.EAGAIN && !scratch.await(fd, POLLIN, deadline, channel.description())) {
                    return 0;
                }
            }
        } finally {
            channel.release();
        }
    }

    /**
     * Adds {@code count}: an 8-byte write, after a poll while it would block. Poll reports room for 1, not for
     * {@code count}, so a write that still would block backs off ({@link WriteBackOff}) instead of spinning.
     */
    private boolean write(long count, long deadline) throws IOException {
        Scratch scratch = SCRATCH.get();
        scratch.word.putLong(0, count);
        long pause = 0;
        int fd = channel.acquire();
        try {
            if (deadline != FOREVER && !scratch.await(fd, POLLOUT, deadline, channel.description())) {
                return false; // polled first for the same reason as a timed read
            }
            for (boolean polled = deadline != FOREVER; ; ) {
                long n = Native.libc().write(fd, scratch.address, Long.BYTES);
                if (n == Long.BYTES) {
                    return true;
                }
                int errno = n < 0 ? Native.errno() : Errors.EINVAL;
                if (errno == Errors.EINTR) {
                    continue;
                }
                if (errno != Errors.EAGAIN) {
                    throw Errors.of("write", channel.description(), errno);
                }
                long left = deadline == FOREVER ? FOREVER : deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                if (polled) { // writable, yet too full for this count: wait for a take, without spinning
                    pause = WriteBackOff.pause(pause, left);
                }
                if (!scratch.await(fd, POLLOUT, deadline, channel.description())) {
                    return false;
                }
                polled = true;
            }
        } finally {
            channel.release();
        }
    }

    /** A thread's 8-byte word, by address, and its poll slot. */
    private static final class Scratch {
        final ByteBuffer word = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.nativeOrder());
        final long address = new DirectAddress().of(word);
        final PollFd poll = new PollFd(Native.runtime());

        /**
         * Polls {@code fd} for {@code events} until ready (true) or {@code deadline} (false), at least once even if
         * the deadline has passed ({@code Duration.ZERO} asks "now?"); EINTR polls again.
         */
        boolean await(int fd, short events, long deadline, String description) throws IOException {
            while (true) {
                int millis = -1;
                if (deadline != FOREVER) {
                    long left = deadline - System.nanoTime();
                    millis = (int) Math.min(Integer.MAX_VALUE, Math.max(0, (left + 999_999) / 1_000_000));
                }
                poll.set(fd, events);
                int ready = Native.libc().poll(poll.pointer(), 1, millis);
                if (ready > 0) {
                    if ((poll.revents() & POLLNVAL) != 0) {
                        throw Errors.of("poll", description, Errors.EBADF);
                    }
                    return true;
                }
                if (ready < 0 && Native.errno() != Errors.EINTR) {
                    throw Errors.of("poll", description, Native.errno());
                }
                if (ready == 0 && deadline != FOREVER && deadline - System.nanoTime() <= 0) {
                    return false;
                }
            }
        }
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

    /** The channel, with a lease that needs no object: the hot calls allocate nothing. */
    private static final class EventChannel extends FdChannel {
        EventChannel(int fd, String description) throws IOException {
            super(fd, description);
        }

        /** Leases the descriptor until {@link #release()}; one release for each. */
        int acquire() throws ClosedChannelException {
            return begin();
        }

        void release() {
            end();
        }
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
