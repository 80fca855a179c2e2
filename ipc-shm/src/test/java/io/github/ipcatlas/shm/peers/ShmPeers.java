package io.github.ipcatlas.shm.peers;

import io.github.ipcatlas.shm.SharedLong;
import io.github.ipcatlas.shm.SharedMemory;

/** {@code add NAME TIMES}: opens the segment, prints {@code ready}, adds 1 to the long at offset 0 TIMES times. */
public final class ShmPeers {
    private ShmPeers() {
    }

    public static void main(String[] args) throws Exception {
        try (SharedMemory segment = SharedMemory.open(args[1], false)) {
            SharedLong counter = new SharedLong(segment.memory(), 0);
            System.out.println("ready");
            System.out.flush();
            for (int i = 0, times = Integer.parseInt(args[2]); i < times; i++) {
                counter.getAndAdd(1);
            }
        }
    }
}
