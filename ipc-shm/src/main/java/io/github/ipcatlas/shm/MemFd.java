package io.github.ipcatlas.shm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

import io.github.ipcatlas.core.DescriptorLease;
import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.FdChannel;
import io.github.ipcatlas.core.NativeLibrary;
import io.github.ipcatlas.core.linux.Native;
import io.github.ipcatlas.mmap.MapMode;
import io.github.ipcatlas.mmap.MappedFile;
import io.github.ipcatlas.shm.internal.ShmLibC;

/**
 * An anonymous file in memory ({@code memfd_create(2)}) that can be sealed ({@code fcntl(F_ADD_SEALS)}): shared
 * memory with no name anywhere, handed to another process by descriptor — inherited, or over a Unix socket with
 * {@code SCM_RIGHTS} — and sealed so that the receiver can trust what it gets.
 *
 * <pre>{@code
 * try (MemFd memory = MemFd.create("orders")) {
 *     memory.write(ByteBuffer.wrap(report));                     // the contents, written through the descriptor
 *     memory.seal(Seal.SHRINK, Seal.GROW, Seal.WRITE, Seal.SEAL);  // now nobody can change it, ever
 *     DescriptorPassing.send(socket, ByteBuffer.wrap(new byte[] {1}), memory.channel());
 * }
 * // the receiver: MemFd.adopt(received).seals() contains SHRINK, GROW and WRITE: nothing will change under it
 * }</pre>
 *
 * <p><b>Seals</b> are properties of the file, not of a descriptor: once added, no process can remove them or do what
 * they forbid. {@link Seal#SHRINK} and {@link Seal#GROW} fix the size (a mapping can then never lose its pages, which
 * is what makes {@code SIGBUS} impossible: see {@link SealedMemory}); {@link Seal#WRITE} forbids every write, through
 * {@code write(2)} and through mappings, and can only be added while no writable shared mapping exists;
 * {@link Seal#FUTURE_WRITE} (Linux 5.1) forbids new writes but lets mappings that exist keep writing — a producer
 * that keeps its mapping and hands out read-only views; {@link Seal#SEAL} forbids further seals.
 *
 * <p>It takes WRITE, SHRINK and GROW together for bytes that cannot change: without SHRINK a peer can still truncate
 * the file (the pages read as zeros after a regrow, and a mapping's reads past the end fail).
 *
 * <p>Untrusted input: a descriptor from another process may be anything. {@link #adopt} checks with the kernel that
 * it is a memory file, {@link #contents(int)} reads at most the bytes the caller allows, through the descriptor. Thread-safe as its {@link FdChannel}; the
 * memory is freed when the last descriptor and mapping of it are gone, so nothing is left behind, even after a crash.
 */
public final class MemFd implements AutoCloseable {
    static final int MFD_CLOEXEC = 1;
    static final int MFD_ALLOW_SEALING = 2;
    static final int F_ADD_SEALS = 1033;
    static final int F_GET_SEALS = 1034;
    /** memfd_create's limit on the label: 249 bytes ({@code NAME_MAX} less the "memfd:" prefix). */
    static final int LABEL_MAX = 249;
    /** Bytes read per pread by {@link #contents}. */
    private static final int CHUNK = 64 << 10;

    /** The seals of {@code fcntl(2)}, with their kernel bits. */
    public enum Seal {
        /** {@code F_SEAL_SEAL}: no further seals. */
        SEAL(1),
        /** {@code F_SEAL_SHRINK}: the size cannot decrease. */
        SHRINK(2),
        /** {@code F_SEAL_GROW}: the size cannot increase. */
        GROW(4),
        /** {@code F_SEAL_WRITE}: no writes at all; refused while a writable shared mapping exists. */
        WRITE(8),
        /** {@code F_SEAL_FUTURE_WRITE} (Linux 5.1): no new writes; existing writable mappings keep writing. */
        FUTURE_WRITE(16),
        /**
         * {@code F_SEAL_EXEC} (Linux 6.3): the execute bits of its mode cannot change. On a memfd whose mode has
         * execute bits (every memfd starts 0777) the kernel adds WRITE, FUTURE_WRITE, SHRINK and GROW with it: what
         * may run can never be written (W^X).
         */
        EXEC(32);

        final int bit;

        Seal(int bit) {
            this.bit = bit;
        }

        static Set<Seal> decode(int bits) {
            Set<Seal> seals = EnumSet.noneOf(Seal.class);
            for (Seal seal : values()) {
                if ((bits & seal.bit) != 0) {
                    seals.add(seal);
                }
            }
            return seals;
        }
    }

    private final FdChannel channel;
    private final Path path;

    private MemFd(FdChannel channel, Path path) {
        this.channel = channel;
        this.path = path;
    }

    /**
     * An empty memfd that can be sealed, close-on-exec.
     *
     * @param label a name for {@code /proc/PID/fd} listings ({@code /memfd:label (deleted)}), 1 to 249 bytes, no
     *              {@code /} or NUL
     */
    public static MemFd create(String label) throws IOException {
        checkLabel(label);
        int fd = binding().memfd_create(label, MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (fd < 0) {
            throw Errors.of("memfd_create", label, Native.errno());
        }
        return new MemFd(new FdChannel(fd, "memfd " + label), descriptorPath(fd));
    }

    /**
     * Takes ownership of a descriptor received from another process (over {@code SCM_RIGHTS}, or inherited), after
     * checking that it is a memfd: anything else is refused, and closed.
     *
     * @throws IOException naming what the descriptor is instead
     */
    public static MemFd adopt(FdChannel descriptor) throws IOException {
        Objects.requireNonNull(descriptor, "descriptor");
        try (DescriptorLease lease = descriptor.lease()) {
            Path path = descriptorPath(lease.fd());
            // the kernel's word, not the name: F_GET_SEALS works only on memory files (shmem, hugetlbfs); a FIFO or
            // socket under a name that reads "/memfd:" (a mount trick can make one) fails it
            if (Native.libc().fcntl(lease.fd(), F_GET_SEALS, 0) < 0) {
                throw new IOException("descriptor " + lease.fd() + " is " + linkTarget(path) + ", not a memfd");
            }
            return new MemFd(descriptor, path);
        } catch (IOException | RuntimeException e) {
            descriptor.close();
            throw e;
        }
    }

    private static String linkTarget(Path path) {
        try {
            return Files.readSymbolicLink(path).toString();
        } catch (IOException unreadable) {
            return "unknown (" + unreadable.getMessage() + ")";
        }
    }

    /**
     * Writes all of {@code source}'s remaining bytes at the file's offset (the end of what was written before).
     *
     * @throws io.github.ipcatlas.core.ErrnoException {@code EPERM} once sealed against writing or growing
     */
    public void write(ByteBuffer source) throws IOException {
        while (source.hasRemaining()) {
            channel.write(source);
        }
    }

    /** The size in bytes. */
    public long size() throws IOException {
        try (DescriptorLease lease = channel.lease()) {
            return Files.size(descriptorPath(lease.fd()));
        }
    }

    /**
     * The whole contents, if at most {@code maxBytes}: a memfd from another process can be of any size.
     *
     * @throws IOException if it holds more than {@code maxBytes}
     */
    public byte[] contents(int maxBytes) throws IOException {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes " + maxBytes + " is negative");
        }
        // read through this descriptor with pread, never trusting a size: a peer may resize it meanwhile (if not
        // sealed), and a receiver of another user could not reopen it through /proc
        ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK);
        java.io.ByteArrayOutputStream read = new java.io.ByteArrayOutputStream();
        try (DescriptorLease lease = channel.lease()) {
            long address = new io.github.ipcatlas.core.linux.DirectAddress().of(chunk);
            for (long offset = 0; ; ) {
                long n = binding().pread(lease.fd(), address, CHUNK, offset);
                if (n < 0) {
                    int errno = Native.errno();
                    if (errno == Errors.EINTR) {
                        continue;
                    }
                    throw Errors.of("pread", toString(), errno);
                }
                if (n == 0) {
                    return read.toByteArray();
                }
                if (offset + n > maxBytes) {
                    throw new IOException(this + " holds more than the " + maxBytes + " bytes allowed");
                }
                byte[] bytes = new byte[(int) n];
                chunk.get(0, bytes);
                read.write(bytes, 0, bytes.length);
                offset += n;
            }
        } finally {
            java.lang.ref.Reference.reachabilityFence(chunk);
        }
    }

    /** The seals it carries ({@code fcntl(F_GET_SEALS)}). */
    public Set<Seal> seals() throws IOException {
        try (DescriptorLease lease = channel.lease()) {
            int bits = Native.libc().fcntl(lease.fd(), F_GET_SEALS, 0);
            if (bits < 0) {
                throw Errors.of("fcntl(F_GET_SEALS)", toString(), Native.errno());
            }
            return Seal.decode(bits);
        }
    }

    /**
     * Adds {@code seals} ({@code fcntl(F_ADD_SEALS)}); for good: no process can remove one.
     *
     * @throws io.github.ipcatlas.core.ErrnoException {@code EPERM} if sealed against further seals;
     *     {@code EBUSY} for {@link Seal#WRITE} while a writable shared mapping exists — a closed one too, until the
     *     garbage collector frees it
     */
    public void seal(Seal... seals) throws IOException {
        int bits = 0;
        for (Seal seal : seals) {
            bits |= Objects.requireNonNull(seal, "seal").bit;
        }
        try (DescriptorLease lease = channel.lease()) {
            if (Native.libc().fcntl(lease.fd(), F_ADD_SEALS, bits) != 0) {
                int errno = Native.errno();
                throw Errors.of("fcntl(F_ADD_SEALS, " + Seal.decode(bits) + ")", toString(), errno,
                        errno == Errors.EPERM ? "it is sealed against further seals (SEAL)"
                                : errno == Errors.EBUSY ? "WRITE needs every writable shared mapping gone, and a "
                                        + "closed MappedFile stays mapped until the garbage collector frees it: fill "
                                        + "the memory with write() before sealing, or seal FUTURE_WRITE, which lets "
                                        + "existing mappings keep writing"
                                : errno == Errors.EINVAL && (bits & Seal.FUTURE_WRITE.bit) != 0
                                        ? "FUTURE_WRITE needs Linux 5.1 or newer"
                                : errno == Errors.EINVAL && (bits & Seal.EXEC.bit) != 0
                                        ? "EXEC needs Linux 6.3 or newer" : null);
            }
        }
    }

    /**
     * Maps it whole ({@link MappedFile}).
     *
     * @throws IOException for {@link MapMode#READ_WRITE} once sealed against writing ({@link Seal#WRITE} or
     *     {@link Seal#FUTURE_WRITE}), naming the seal
     */
    public MappedFile map(MapMode mode) throws IOException {
        Objects.requireNonNull(mode, "mode");
        if (mode == MapMode.READ_WRITE) {
            Set<Seal> seals = seals();
            if (seals.contains(Seal.WRITE) || seals.contains(Seal.FUTURE_WRITE)) {
                throw new IOException(this + " is sealed against writing (" + seals + "): map it READ_ONLY");
            }
        }
        try (DescriptorLease lease = channel.lease()) {
            return MappedFile.map(lease.fd(), path, mode);
        }
    }

    /** The descriptor, as a channel: to hand to a child ({@code inheritFd}) or over {@code SCM_RIGHTS}. */
    public FdChannel channel() {
        return channel;
    }

    /** The descriptor, leased: its number names this memfd until the lease is closed. */
    public DescriptorLease lease() throws ClosedChannelException {
        return channel.lease();
    }

    /** Closes this descriptor; mappings and other processes' descriptors keep the memory. Idempotent. */
    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return channel.description() + (channel.isOpen() ? "" : " (closed)");
    }

    /** Refuses a label {@code memfd_create} would refuse (or that would read as a path), before the call. */
    static void checkLabel(String label) {
        Objects.requireNonNull(label, "label");
        int bytes = label.getBytes(StandardCharsets.UTF_8).length;
        if (bytes < 1 || bytes > LABEL_MAX || label.indexOf('/') >= 0 || label.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("label \"" + label + "\" must be 1 to " + LABEL_MAX
                    + " bytes without '/' or NUL");
        }
    }

    private static Path descriptorPath(int fd) {
        return Path.of("/proc/self/fd/" + fd);
    }

    private static ShmLibC binding() {
        return Binding.SHM;
    }

    private static final class Binding {
        static final ShmLibC SHM = NativeLibrary.load(ShmLibC.class, "c");
    }
}
