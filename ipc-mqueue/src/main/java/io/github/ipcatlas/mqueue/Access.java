package io.github.ipcatlas.mqueue;

/** How a descriptor may use the queue ({@code O_RDONLY}, {@code O_WRONLY}, {@code O_RDWR}). */
public enum Access {
    /** Receive only. */
    READ_ONLY(0),
    /** Send only. */
    WRITE_ONLY(1),
    /** Send and receive. */
    READ_WRITE(2);

    final int flags;

    Access(int flags) {
        this.flags = flags;
    }

    boolean canSend() {
        return this != READ_ONLY;
    }

    boolean canReceive() {
        return this != WRITE_ONLY;
    }
}
