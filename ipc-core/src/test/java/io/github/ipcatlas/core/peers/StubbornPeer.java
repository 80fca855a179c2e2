package io.github.ipcatlas.core.peers;

import java.util.concurrent.CountDownLatch;

/** Prints "ready", then never exits on SIGTERM: its shutdown hook blocks forever (only SIGKILL ends it). */
public final class StubbornPeer {
    private StubbornPeer() {
    }

    public static void main(String[] args) throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                never.await();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }));
        System.out.println("ready");
        never.await();
    }
}
