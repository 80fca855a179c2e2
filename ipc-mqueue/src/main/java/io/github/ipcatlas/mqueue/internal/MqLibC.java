package io.github.ipcatlas.mqueue.internal;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.Encoding;
import jnr.ffi.annotations.Variadic;

/**
 * The POSIX message-queue functions ({@code mq_overview(7)}), all in libc on glibc 2.34+. C names, no logic.
 * Messages are passed by address (see {@code LibC.read} in ipc-core for why). {@code mqd_t} is an {@code int}
 * descriptor on Linux, pollable and closed by {@code close(2)}. Names go to C as UTF-8 whatever the JVM's default
 * charset (ASCII under {@code LC_ALL=C} on JDK 17, which would turn every non-ASCII character into {@code ?}).
 */
public interface MqLibC {
    /** {@code mq_open(name, oflag, mode, attr)}; mode and attr are read only with {@code O_CREAT}. */
    @Variadic(fixedCount = 2)
    int mq_open(@Encoding("UTF-8") CharSequence name, int oflag, int mode, Pointer attr);

    int mq_close(int mqd);

    int mq_unlink(@Encoding("UTF-8") CharSequence name);

    /**
     * {@code mq_timedsend}; every pointer is passed as an address (0 for NULL): jnr-ffi's {@code Pointer}
     * marshalling cost about 100 ns per argument on this hot path.
     */
    int mq_timedsend(int mqd, long message, long length, int priority, long absoluteTimeout);

    /** {@code mq_timedreceive}; addresses as in {@link #mq_timedsend}. */
    long mq_timedreceive(int mqd, long message, long length, long priority, long absoluteTimeout);

    int mq_getattr(int mqd, Pointer attr);

    int mq_setattr(int mqd, Pointer newAttr, Pointer oldAttr);

    int mq_notify(int mqd, Pointer sigevent);

    int getrlimit(int resource, Pointer rlimit);
}
