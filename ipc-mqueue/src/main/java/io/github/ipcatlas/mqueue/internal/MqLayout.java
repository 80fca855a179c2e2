package io.github.ipcatlas.mqueue.internal;

/**
 * The C structures the message-queue calls exchange, as offsets (Linux, 64-bit). Deadlines ({@code struct timespec})
 * are core's {@code RealtimeTimespec}.
 *
 * <pre>
 * struct mq_attr  (64 bytes)            struct rlimit (16 bytes)
 *   0  long mq_flags   (O_NONBLOCK)       0  rlim_t rlim_cur
 *   8  long mq_maxmsg                     8  rlim_t rlim_max
 *  16  long mq_msgsize
 *  24  long mq_curmsgs
 *  32  long __pad[4]
 *
 * struct sigevent (64 bytes)
 *   0  union sigval sigev_value  (8)
 *   8  int sigev_signo
 *  12  int sigev_notify          (SIGEV_SIGNAL 0, SIGEV_NONE 1, SIGEV_THREAD 2)
 * </pre>
 */
public final class MqLayout {
    private MqLayout() {
    }

    public static final int ATTR_BYTES = 64;
    public static final int ATTR_FLAGS = 0;
    public static final int ATTR_MAXMSG = 8;
    public static final int ATTR_MSGSIZE = 16;
    public static final int ATTR_CURMSGS = 24;


    public static final int RLIMIT_BYTES = 16;
    public static final int RLIMIT_CURRENT = 0;
    public static final int RLIMIT_MAXIMUM = 8;
    /** {@code RLIMIT_MSGQUEUE}: bytes all of a user's queues may take. */
    public static final int RLIMIT_MSGQUEUE = 12;
    public static final long RLIM_INFINITY = -1L;

    public static final int SIGEVENT_BYTES = 64;
    public static final int SIGEVENT_SIGNO = 8;
    public static final int SIGEVENT_NOTIFY = 12;
    public static final int SIGEV_SIGNAL = 0;

    /** {@code MQ_PRIO_MAX} on Linux: priorities are 0 to 32767. */
    public static final int MQ_PRIO_MAX = 32768;
    /** {@code errno} values the queue reports. */
    public static final int EMSGSIZE = 90;
    public static final int EBADF = 9;
}
