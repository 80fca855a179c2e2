package io.github.ipcatlas.sysv;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Keys no other test uses, and removal of every object a test made, in {@code @AfterEach}: System V objects outlive
 * the JVM, so a test that forgot one would leave it in the kernel until reboot.
 */
final class SysvFixture {
    private final List<SysvHandle> handles = new ArrayList<>();
    private final List<SysvKey> keys = new ArrayList<>();

    /**
     * A key with this process's pid in it and a random part: tests running at once in other JVMs do not meet, and a
     * collision would show as {@code EEXIST}, never as a shared object, because tests create with {@code IPC_EXCL}.
     */
    SysvKey key() {
        int pid = (int) ProcessHandle.current().pid();
        SysvKey key = SysvKey.of(0x5A000000 | (pid & 0x3FF) << 14 | ThreadLocalRandom.current().nextInt(1, 1 << 14));
        keys.add(key);
        return key;
    }

    /** Removes {@code handle}'s object after the test. */
    <T extends SysvHandle> T track(T handle) {
        handles.add(handle);
        return handle;
    }

    /** Removes every tracked object and every object made with one of {@link #key()}'s keys; call in {@code @AfterEach}. */
    void removeAll() throws IOException {
        for (SysvHandle handle : handles) {
            try (SysvHandle reopened = reopen(handle)) {
                reopened.remove();
            } catch (IOException gone) {
                // removed by the test itself
            }
        }
        for (SysvKey key : keys) {
            SysvMessageQueue.removeIfExists(key);
            SysvSharedMemory.removeIfExists(key);
            SysvSemaphoreSet.removeIfExists(key);
        }
    }

    /** A fresh handle on the same id: the test may have closed its own. */
    private static SysvHandle reopen(SysvHandle handle) throws IOException {
        if (handle instanceof SysvMessageQueue) {
            return SysvMessageQueue.ofId(handle.id());
        }
        if (handle instanceof SysvSharedMemory) {
            return SysvSharedMemory.ofId(handle.id());
        }
        return SysvSemaphoreSet.ofId(handle.id());
    }
}
