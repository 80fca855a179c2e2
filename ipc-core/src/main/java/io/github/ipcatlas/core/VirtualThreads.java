package io.github.ipcatlas.core;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Virtual threads where the running JDK has them (21 and newer), found at run time because this module targets 17.
 *
 * <p>A virtual thread is cheap to block: when it waits in a lock, a queue or a sleep, it leaves its carrier (a
 * platform thread) free for others. It is expensive to <i>spin</i>: a virtual thread busy-waiting on a flag never
 * unmounts, so it occupies one of the few carriers (one per core by default) for as long as it spins, and with
 * every carrier spinning, the thread that would set the flag may never get to run. Wait with a blocking primitive,
 * not a loop. Before JDK 24, blocking inside {@code synchronized} also pins the carrier; prefer
 * {@link java.util.concurrent.locks.ReentrantLock} in code that virtual threads run on older JDKs.
 */
public final class VirtualThreads {
    private static final Method PER_TASK_EXECUTOR = find(Executors.class, "newVirtualThreadPerTaskExecutor");
    private static final Method IS_VIRTUAL = find(Thread.class, "isVirtual");

    private VirtualThreads() {
    }

    /** Whether this JVM has virtual threads. */
    public static boolean available() {
        return PER_TASK_EXECUTOR != null;
    }

    /**
     * A thread per task: virtual threads when {@link #available()}, otherwise a cached pool of platform threads.
     *
     * <p>Before handing out virtual threads it makes one of them block on a pipe once. The JDK creates the poller
     * that parks virtual threads on sockets and pipes (an epoll descriptor) lazily, at the first such block, and if
     * the process has run out of descriptors at that moment the poller is never created: every later blocking read
     * of every virtual thread in the JVM fails (JDK 25: {@code NoClassDefFoundError: sun.nio.ch.Poller}). A server
     * whose first read happens when a flood of clients has used the descriptors up would be broken for good.
     */
    public static ExecutorService newThreadPerTaskExecutor() {
        if (PER_TASK_EXECUTOR == null) {
            return Executors.newCachedThreadPool();
        }
        ExecutorService executor;
        try {
            executor = (ExecutorService) PER_TASK_EXECUTOR.invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create a virtual-thread executor", e);
        }
        PollerWarmUp.once(executor);
        return executor;
    }

    /** Whether {@code thread} is virtual (always false before JDK 21). */
    public static boolean isVirtual(Thread thread) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invoke(thread);
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    private static Method find(Class<?> type, String name) {
        try {
            return type.getMethod(name);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
