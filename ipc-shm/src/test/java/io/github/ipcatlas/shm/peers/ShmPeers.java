package io.github.ipcatlas.shm.peers;

import io.github.ipcatlas.shm.SharedLong;
import io.github.ipcatlas.shm.SharedMemory;

/**
 * Child-JVM roles: {@code add NAME TIMES} opens the segment, prints {@code ready} and adds 1 to the long at offset 0
 * TIMES times; {@code sem-echo REQUEST REPLY COUNT} answers COUNT acquires of one semaphore with releases of the other.
 */
public final class ShmPeers {
    private ShmPeers() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("sem-echo")) {
            try (io.github.ipcatlas.shm.NamedSemaphore request = io.github.ipcatlas.shm.NamedSemaphore.open(args[1]);
                 io.github.ipcatlas.shm.NamedSemaphore reply = io.github.ipcatlas.shm.NamedSemaphore.open(args[2])) {
                System.out.println("ready");
                System.out.flush();
                for (int i = 0, count = Integer.parseInt(args[3]); i < count; i++) {
                    if (!request.tryAcquire(java.time.Duration.ofSeconds(30))) {
                        throw new IllegalStateException("no request " + i + " within 30 s");
                    }
                    reply.release();
                }
            }
            return;
        }
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
