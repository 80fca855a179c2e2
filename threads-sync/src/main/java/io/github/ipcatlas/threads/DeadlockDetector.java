package io.github.ipcatlas.threads;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * Finds threads of this JVM that are deadlocked: each waits for a monitor or an ownable synchronizer (such as a
 * {@link java.util.concurrent.locks.ReentrantLock}) that another thread of the cycle holds
 * ({@link ThreadMXBean#findDeadlockedThreads()}, what {@code jstack} reports as "Found one Java-level deadlock").
 */
public final class DeadlockDetector {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private DeadlockDetector() {
    }

    /** The deadlocked threads now, with the locks they hold and wait for; empty when there are none. */
    public static List<ThreadInfo> find() {
        long[] ids = THREADS.findDeadlockedThreads();
        if (ids == null) {
            return List.of();
        }
        return List.of(THREADS.getThreadInfo(ids, true, true));
    }

    /** One line per deadlocked thread: {@code "name" waits for LOCK held by "other"}. */
    public static List<String> describe() {
        return find().stream().map(info -> "\"" + info.getThreadName() + "\" waits for " + info.getLockName()
                + " held by \"" + info.getLockOwnerName() + "\"").toList();
    }
}
