package io.github.ipcatlas.core;

import java.nio.channels.ClosedChannelException;

/**
 * A descriptor number that stays this object's file until {@link #close()}: while a lease is held, a {@code close()}
 * of its channel by another thread leaves the number open (it is closed when the last lease ends), so the kernel
 * cannot hand the number to a file opened meanwhile. Use the number only inside the lease:
 *
 * <pre>{@code
 * try (DescriptorLease lease = channel.lease()) {
 *     spawnWith(lease.fd());              // the channel's file, even if another thread closes the channel now
 * }
 * }</pre>
 *
 * <p>One thread per lease; {@code close()} is idempotent.
 */
public final class DescriptorLease implements AutoCloseable {
    private final OwnedDescriptor owner;
    private final int fd;
    private boolean released;

    DescriptorLease(OwnedDescriptor owner) throws ClosedChannelException {
        this.fd = owner.acquire();
        this.owner = owner;
    }

    /**
     * The descriptor number.
     *
     * @throws IllegalStateException after {@link #close()}: the number may name another file by then
     */
    public int fd() {
        if (released) {
            throw new IllegalStateException("lease of fd " + fd + " already ended");
        }
        return fd;
    }

    /** Ends every lease in {@code leases} (null entries, from a leasing that failed part-way, are skipped). */
    public static void closeAll(DescriptorLease... leases) {
        for (DescriptorLease lease : leases) {
            if (lease != null) {
                lease.close();
            }
        }
    }

    /** Ends the lease; the descriptor is closed now if its owner was closed meanwhile. */
    @Override
    public void close() {
        if (!released) {
            released = true;
            owner.release();
        }
    }
}
