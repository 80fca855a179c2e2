package io.github.ipcatlas.sysv.examples;

import java.io.PrintStream;
import java.time.Duration;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.Demo;
import io.github.ipcatlas.sysv.SemaphoreOperation;
import io.github.ipcatlas.sysv.SysvKey;
import io.github.ipcatlas.sysv.SysvSemaphoreSet;

/**
 * What {@code SEM_UNDO} is for: a child JVM takes a System V semaphore used as a lock, with undo, and is killed with
 * SIGKILL while holding it. The kernel gives the semaphore back as the child exits, so the parent can take it. Without
 * undo (or with a POSIX semaphore) the lock would stay taken for ever.
 */
public final class SemaphoreUndoExample implements Demo {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final SemaphoreOperation LOCK = SemaphoreOperation.acquire(0).withUndo();

    public static void main(String[] args) throws Exception {
        new SemaphoreUndoExample().run(System.out);
    }

    @Override
    public String name() {
        return "sysv-sem-undo";
    }

    @Override
    public String summary() {
        return "System V semaphore with SEM_UNDO: the lock of a process killed with SIGKILL is given back";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        SysvSemaphoreSet lock = SysvSemaphoreSet.create(SysvKey.PRIVATE, 1);
        try (ChildProcess child = ChildJvm.builder(Holder.class).args(String.valueOf(lock.id())).quickStart()
                .start()) {
            child.awaitLine("holding the lock", DEADLINE);
            out.println("Child holds the lock; can the parent take it? " + lock.tryOperate(LOCK));
            child.kill(9);
            child.awaitExit(DEADLINE);
            out.println("Child killed; the parent takes the lock: " + lock.operate(DEADLINE, LOCK));
        } finally {
            lock.remove();
            lock.close();
        }
    }

    /** The child: takes the lock with undo, says so, and waits to be killed. */
    public static final class Holder {
        private Holder() {
        }

        public static void main(String[] args) throws Exception {
            try (SysvSemaphoreSet lock = SysvSemaphoreSet.ofId(Integer.parseInt(args[0]))) {
                lock.operate(LOCK);
                System.out.println("holding the lock");
                Thread.sleep(DEADLINE.toMillis());
            }
        }
    }
}
