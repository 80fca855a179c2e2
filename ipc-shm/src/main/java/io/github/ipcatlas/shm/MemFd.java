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
 * // the receiver: MemFd.adopt(received).seals() contains WRITE: what it maps read-only will not change under it
 * }</pre>
 *
 * <p><b>Seals</b> are properties of the file, not of a descriptor: once added, no process can remove them or do what
 * they forbid. {@link Seal#SHRINK} and {@link Seal#GROW} fix the size (a mapping can then never lose its pages, which
 * is what makes {@code SIGBUS} impossible: see {@link SealedMemory}); {@link Seal#WRITE} forbids every write, through
 * {@code write(2)} and through mappings, and can only be added while no writable shared mapping exists;
 * {@link Seal#FUTURE_WRITE} (Linux 5.1) forbids new writes but lets mappings that exist keep writing — a producer
 * that keeps its mapping and hands out read-only views; {@link Seal#SEAL} forbids further seals.
 *
 * <p>Untrusted input: a descriptor from another process may be anything. {@link #adopt} checks that it is a memfd,
 * {@link #contents(int)} reads at most the bytes the caller allows. Thread-safe as its {@link FdChannel}; the
 * memory is freed when the last descriptor and mapping of it are gone, so nothing is left behind, even after a crash.
 */
public final class MemFd implements AutoCloseable {
    static final int MFD_CLOEXEC = 1;
    static final int MFD_ALLOW_SEALING = 2;
    static final int F_ADD_SEALS = 1033;
    static final int F_GET_SEALS = 1034;
    /** memfd_create's limit on the label: 249 bytes ({@code NAME_MAX} less the "memfd:" prefix). */
    static final int LABEL_MAX = 249;

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
        FUTURE_WRITE(16);

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
            String target = Files.readSymbolicLink(path).toString();
            if (!target.startsWith("/memfd:")) {
                descriptor.close();
                throw new IOException("descriptor " + lease.fd() + " is " + target + ", not a memfd");
            }
            return new MemFd(descriptor, path);
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
        try (DescriptorLease lease = channel.lease()) {
            Path open = descriptorPath(lease.fd()); // a new open of the same file: its own offset, from 0
            long size = Files.size(open);
            if (size > maxBytes) {
                throw new IOException(this + " holds " + size + " bytes, more than the " + maxBytes + " allowed");
            }
            byte[] bytes = Files.readAllBytes(open);
            if (bytes.length > maxBytes) { // grew meanwhile: it was not sealed against growing
                throw new IOException(this + " grew past the " + maxBytes + " bytes allowed while being read");
            }
            return bytes;
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
     *     {@code EBUSY} for {@link Seal#WRITE} while a writable shared mapping exists
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
                                : errno == Errors.EBUSY ? "WRITE needs every writable shared mapping gone: unmap "
                                        + "them first, or seal FUTURE_WRITE, which lets them keep writing"
                                : errno == Errors.EINVAL ? "FUTURE_WRITE needs Linux 5.1 or newer" : null);
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
