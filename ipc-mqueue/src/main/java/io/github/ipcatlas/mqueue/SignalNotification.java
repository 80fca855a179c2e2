package io.github.ipcatlas.mqueue;

import static io.github.ipcatlas.mqueue.internal.MqLayout.SIGEVENT_BYTES;
import static io.github.ipcatlas.mqueue.internal.MqLayout.SIGEVENT_NOTIFY;
import static io.github.ipcatlas.mqueue.internal.MqLayout.SIGEVENT_SIGNO;
import static io.github.ipcatlas.mqueue.internal.MqLayout.SIGEV_SIGNAL;

import java.io.IOException;

import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.OwnedDescriptor;
import io.github.ipcatlas.core.linux.LinuxConstants;
import io.github.ipcatlas.core.linux.Native;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * {@code mq_notify(3)} behind {@link MessageQueue#notifyBySignal} and {@link MessageQueue#cancelNotification}. Only
 * {@code SIGEV_SIGNAL}: {@code SIGEV_THREAD} would start a native thread the JVM does not know. Rare calls, so the
 * {@code struct sigevent} is allocated per call rather than kept per thread.
 */
final class SignalNotification {
    private SignalNotification() {
    }

    /** Registers this process for {@code signal} on the queue behind {@code descriptor}. */
    static void register(OwnedDescriptor descriptor, String name, int signal) throws IOException {
        LinuxConstants.checkSignal(signal);
        int fd = descriptor.acquire();
        try {
            Pointer event = Memory.allocateDirect(MqBinding.RUNTIME, SIGEVENT_BYTES, true);
            event.putInt(SIGEVENT_SIGNO, signal);
            event.putInt(SIGEVENT_NOTIFY, SIGEV_SIGNAL);
            if (MqBinding.MQ.mq_notify(fd, event) != 0) {
                int errno = Native.errno();
                throw Errors.of("mq_notify", name, errno, errno == Errors.EBUSY
                        ? "another registration exists for this queue (only one process may be registered)" : null);
            }
        } finally {
            descriptor.release();
        }
    }

    /** Removes this process's registration ({@code mq_notify} with NULL). */
    static void cancel(OwnedDescriptor descriptor, String name) throws IOException {
        int fd = descriptor.acquire();
        try {
            if (MqBinding.MQ.mq_notify(fd, null) != 0) {
                throw Errors.of("mq_notify", name, Native.errno());
            }
        } finally {
            descriptor.release();
        }
    }
}
