package io.github.ipcatlas.pipes;

import java.util.zip.CRC32;

/** Test payloads whose every byte depends on its position, so a lost, doubled or reordered byte shows. */
public final class PipeTestData {
    private PipeTestData() {
    }

    /** {@code length} bytes of a repeating pattern that is a whole number of 8 KiB blocks for any prefix. */
    public static byte[] pattern(int length) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) ((i % 8192) * 31 + 7);
        }
        return data;
    }

    /** The line {@code ReaderPeer} prints for {@code data}. */
    public static String summary(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return "bytes " + data.length + " crc " + crc.getValue();
    }
}
