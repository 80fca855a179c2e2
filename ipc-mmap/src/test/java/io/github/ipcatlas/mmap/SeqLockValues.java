package io.github.ipcatlas.mmap;

import java.nio.ByteBuffer;

/**
 * The payload of version {@code v} in the seqlock tests: the version as a long, then {@code (byte) v} repeated, of a
 * length that varies with {@code v} — so a torn or mixed-up read shows.
 */
public final class SeqLockValues {
    private SeqLockValues() {
    }

    /** Bytes of version {@code version}'s payload in a record of {@code capacity}. */
    public static int length(long version, int capacity) {
        return Long.BYTES + (int) (version % (capacity - Long.BYTES + 1));
    }

    /** Puts version {@code version}'s payload into {@code into}; returns it. */
    public static ByteBuffer fill(ByteBuffer into, long version, int capacity) {
        into.putLong(version);
        for (int i = Long.BYTES, n = length(version, capacity); i < n; i++) {
            into.put((byte) version);
        }
        return into;
    }

    /** The version {@code length} bytes at {@code from}'s start hold, after checking every byte against it. */
    public static long check(ByteBuffer from, int length, int capacity) {
        if (length < Long.BYTES) {
            throw new AssertionError("a payload of " + length + " bytes has no version");
        }
        long version = from.getLong(0);
        if (length != length(version, capacity)) {
            throw new AssertionError("version " + version + " came with " + length + " bytes, not " + length(version, capacity));
        }
        for (int i = Long.BYTES; i < length; i++) {
            if (from.get(i) != (byte) version) {
                throw new AssertionError("torn read: byte " + i + " of version " + version + " is " + from.get(i));
            }
        }
        return version;
    }
}
