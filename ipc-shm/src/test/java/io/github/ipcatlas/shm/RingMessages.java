package io.github.ipcatlas.shm;

import java.nio.ByteBuffer;

/** Test messages whose length and every byte depend on their index, so a lost, doubled or torn one shows. */
public final class RingMessages {
    private RingMessages() {
    }

    /** Writes message {@code index} into {@code buffer} (1 to 300 bytes). */
    public static void fill(ByteBuffer buffer, int index) {
        int length = 1 + index % 300;
        for (int i = 0; i < length; i++) {
            buffer.put((byte) (index * 7 + i));
        }
    }

    /** Whether {@code buffer} (flipped) holds exactly message {@code index}. */
    public static boolean matches(ByteBuffer buffer, int index) {
        int length = 1 + index % 300;
        if (buffer.remaining() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (buffer.get(buffer.position() + i) != (byte) (index * 7 + i)) {
                return false;
            }
        }
        return true;
    }
}
