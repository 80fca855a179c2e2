package io.github.ipcatlas.mmap;

import java.nio.charset.StandardCharsets;

/** The payload of record {@code i} in the log tests: its text names it, its length varies, every byte is known. */
public final class LogRecords {
    private LogRecords() {
    }

    public static byte[] payload(long index) {
        String head = "record-" + index + ":";
        int extra = (int) (index * 37 % 300);
        byte[] bytes = new byte[head.length() + extra];
        byte[] text = head.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, bytes, 0, text.length);
        for (int i = 0; i < extra; i++) {
            bytes[text.length + i] = (byte) (index + i);
        }
        return bytes;
    }
}
