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
        if (args[0].equals("ring-producer")) {
            try (SharedMemory segment = SharedMemory.open(args[1], false)) {
                io.github.ipcatlas.shm.ShmRing ring = io.github.ipcatlas.shm.ShmRing.attach(segment.memory(),
                        io.github.ipcatlas.shm.ShmRing.WaitStrategy.valueOf(args[3]));
                System.out.println("ready");
                java.nio.ByteBuffer message = java.nio.ByteBuffer.allocateDirect(512);
                for (int i = 0, count = Integer.parseInt(args[2]); i < count; i++) {
                    io.github.ipcatlas.shm.RingMessages.fill(message.clear(), i);
                    if (!ring.send(message.flip(), java.time.Duration.ofSeconds(30))) {
                        throw new IllegalStateException("ring full for 30 s at message " + i);
                    }
                }
            }
            return;
        }
        if (args[0].equals("lock-and-hang")) {
            try (SharedMemory segment = SharedMemory.open(args[1], false)) {
                io.github.ipcatlas.shm.RobustMutex mutex = io.github.ipcatlas.shm.RobustMutex.attach(segment.memory(), 0);
                mutex.lock();
                segment.memory().putLong(io.github.ipcatlas.shm.RobustMutex.BYTES, 1); // half-way through an update
                System.out.println("locked");
                System.out.flush();
                new java.util.concurrent.CountDownLatch(1).await(); // until killed, holding the lock
            }
            return;
        }
        if (args[0].equals("locked-add")) {
            try (SharedMemory segment = SharedMemory.open(args[1], false)) {
                io.github.ipcatlas.shm.RobustMutex mutex = io.github.ipcatlas.shm.RobustMutex.attach(segment.memory(), 0);
                System.out.println("ready");
                for (int i = 0, times = Integer.parseInt(args[2]); i < times; i++) {
                    mutex.lock();
                    try {
                        long value = segment.memory().getLong(io.github.ipcatlas.shm.RobustMutex.BYTES); // plain read,
                        segment.memory().putLong(io.github.ipcatlas.shm.RobustMutex.BYTES, value + 1); // plain write
                    } finally {
                        mutex.unlock();
                    }
                }
            }
            return;
        }
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
