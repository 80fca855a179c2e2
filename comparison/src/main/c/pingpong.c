/*
 * Native baseline for `ipc-atlas bench`: the same measurements as the Java harness over the same mechanisms, so the
 * cost of the JVM can be read off per mechanism.
 *
 *   cc -O2 -pthread -o pingpong pingpong.c        (glibc 2.34+: mq_* are in libc; older: add -lrt)
 *   ./pingpong MECHANISM SIZE COUNT WARMUP [latency|throughput|hop [none|split|same|PARENT_CPU,CHILD_CPU
 *              [single|threaded]]]
 *   MECHANISM: pipe | fifo | mq | uds | tcp | udp
 *              | shm | mmap (the ring of ipc-shm, both sides spin) | shm-blocking (the same ring, futex sleeps)
 *              | signal (SIGUSR1 and a handler, SIZE 0) | signal-rt (sigqueue + signalfd, SIZE 4)
 *              | eventfd (a counter each way, the 4-byte message plus one as the count, SIZE 4; latency only)
 *              | sysv-mq (one System V message queue, type 1 to the child, type 2 back)
 *              | sysv-shm (a System V segment with a one-message mailbox each way, both sides spin)
 *
 * latency (the default): ping-pong, one message in flight, WARMUP untimed round trips, then COUNT timed with
 *   CLOCK_MONOTONIC, every echo compared with what was sent. Prints one CSV line:
 *   mechanism,size_bytes,round_trips,p50_ns,p90_ns,p99_ns,p999_ns,max_ns,cpu_ns
 * throughput: WARMUP messages one way and an acknowledgement, untimed; then COUNT messages and an acknowledgement of
 *   the last, timed from the first send to the acknowledgement (not for udp and the signals). Prints:
 *   mechanism,size_bytes,messages,elapsed_ns,cpu_ns
 * hop (shm and mmap only): no second process. One thread sends a record and receives it back, WARMUP times untimed,
 *   then COUNT times timed, so no cache line moves between CPUs and what is left is the software of both sides: the
 *   twin of RingHopBenchmark.sendReceive in ipc-shm. Prints: mechanism,size_bytes,hops,ns_per_hop
 * cpu_ns: CPU time both processes used over the timed part (CLOCK_PROCESS_CPUTIME_ID and the child's CPU clock).
 * none|split|same|A,B: leave both processes to the scheduler, pin parent and child to CPUs 0 and 1, both to CPU 0,
 * or the parent to CPU A and the child to CPU B.
 * single|threaded: each process alone (the default), or each with one more thread that sleeps throughout, as every
 *   JVM has. The kernel charges a process whose descriptor table threads share on every call that takes a
 *   descriptor (the lookup takes and drops a reference to the file, which a lone thread skips): 55–70 ns a call on
 *   the machine the project is measured on (ipc-core's callcost.c). "threaded" sets that price, which no JVM can
 *   avoid, apart from Java's own.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <mqueue.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/shm.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void die(const char *call) {
    fprintf(stderr, "pingpong: %s failed: %s\n", call, strerror(errno));
    exit(1);
}

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t) t.tv_sec * 1000000000 + t.tv_nsec;
}

/* CPU time this process and `child` have used so far, in nanoseconds. */
static int64_t cpu_ns(pid_t child) {
    struct timespec self, other;
    clockid_t clock;
    if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &self)) die("clock_gettime");
    if (clock_getcpuclockid(child, &clock) || clock_gettime(clock, &other)) die("the child's CPU clock");
    return (int64_t) (self.tv_sec + other.tv_sec) * 1000000000 + self.tv_nsec + other.tv_nsec;
}

/* Whether this process may run on cpu (its affinity mask, as taskset or a container set it). */
static int cpu_allowed(int cpu) {
    cpu_set_t set;
    if (cpu < 0 || cpu >= CPU_SETSIZE || sched_getaffinity(0, sizeof set, &set)) return 0;
    return CPU_ISSET(cpu, &set);
}

static void pin_to(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set)) die("sched_setaffinity");
}

/* "threaded": whether each process gets one more, sleeping, thread (see add_sleeping_thread). */
static int threaded_processes;

static void *sleep_throughout(void *unused) {
    (void) unused;
    for (;;) pause(); /* every signal is blocked here: it never wakes, and takes no signal meant for main */
    return NULL;
}

/* With "threaded": one more thread in this process, asleep from its start (so whichever CPU it may use is moot). */
static void add_sleeping_thread(void) {
    if (!threaded_processes) return;
    sigset_t all, before;
    sigfillset(&all);
    pthread_t thread;
    if (pthread_sigmask(SIG_BLOCK, &all, &before)) die("pthread_sigmask"); /* the new thread inherits it */
    errno = pthread_create(&thread, NULL, sleep_throughout, NULL);
    if (errno) die("pthread_create");
    if (pthread_sigmask(SIG_SETMASK, &before, NULL)) die("pthread_sigmask");
    FILE *status = fopen("/proc/self/status", "r"); /* what the kernel sees, not what we meant */
    char line[256];
    int threads = 0;
    while (status && fgets(line, sizeof line, status)) sscanf(line, "Threads: %d", &threads);
    if (status) fclose(status);
    if (threads != 2) {
        fprintf(stderr, "pingpong: threaded, yet the kernel counts %d threads in process %d (is /proc mounted?)\n",
                threads, getpid());
        exit(1);
    }
}

/* With "threaded", the child says over this pipe that its thread runs, before parent and child wait on each other:
   a child that failed to make it exits, the parent reads end of file and gives up instead of waiting for ever. */
static int thread_report[2] = {-1, -1};

/* Before a fork, and before the parent makes anything that a failure would have to remove. */
static void expect_child_thread(void) {
    if (threaded_processes && pipe(thread_report)) die("pipe");
}

/* In the child, after pinning: its sleeping thread, then the report. */
static void start_child_thread(void) {
    if (!threaded_processes) return;
    close(thread_report[0]);
    add_sleeping_thread(); /* exits on failure, which closes the pipe */
    char started = 1;
    if (write(thread_report[1], &started, 1) != 1) die("write(thread report)");
    close(thread_report[1]);
}

/* In the parent, right after the fork: whether the child's thread runs (if not, the child has exited). */
static int child_thread_started(pid_t child) {
    if (!threaded_processes) return 1;
    close(thread_report[1]);
    char started = 0;
    ssize_t n;
    do n = read(thread_report[0], &started, 1); while (n < 0 && errno == EINTR);
    close(thread_report[0]);
    if (n != 1) waitpid(child, NULL, 0);
    return n == 1;
}

/* What NativeBaseline looks for on stderr: this run was the threaded twin it asked for. */
static void confirm_threads(void) {
    if (threaded_processes) fprintf(stderr, "pingpong: threaded: two threads in each process\n");
}

static int compare(const void *a, const void *b) {
    int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;
    return (x > y) - (x < y);
}

static void write_all(int fd, const char *buf, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, buf, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            die("write");
        }
        buf += w;
        n -= (size_t) w;
    }
}

/* Returns 0 at end of stream before the first byte, 1 when the buffer was filled. */
static int read_all(int fd, char *buf, size_t n) {
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r < 0) {
            if (errno == EINTR) continue;
            die("read");
        }
        if (r == 0) {
            if (got == 0) return 0;
            fprintf(stderr, "pingpong: end of stream mid-message\n");
            exit(1);
        }
        got += (size_t) r;
    }
    return 1;
}

/*
 * A connected pair of sockets like the Java benchmark's: a Unix stream socket pair, a TCP connection over loopback
 * (TCP_NODELAY both ends), or two UDP sockets on loopback connected to each other.
 */
static void socket_pair(const char *mechanism, int sv[2]) {
    if (strcmp(mechanism, "uds") == 0) {
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) die("socketpair");
        return;
    }
    int udp = strcmp(mechanism, "udp") == 0;
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof addr;
    if (udp) {
        struct sockaddr_in a = addr, b = addr;
        sv[0] = socket(AF_INET, SOCK_DGRAM, 0);
        sv[1] = socket(AF_INET, SOCK_DGRAM, 0);
        if (sv[0] < 0 || sv[1] < 0) die("socket");
        if (bind(sv[0], (struct sockaddr *) &a, len) || bind(sv[1], (struct sockaddr *) &b, len)) die("bind");
        if (getsockname(sv[0], (struct sockaddr *) &a, &len) || getsockname(sv[1], (struct sockaddr *) &b, &len))
            die("getsockname");
        if (connect(sv[0], (struct sockaddr *) &b, len) || connect(sv[1], (struct sockaddr *) &a, len)) die("connect");
        return;
    }
    int listener = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    if (listener < 0) die("socket");
    if (bind(listener, (struct sockaddr *) &addr, len) || listen(listener, 1)) die("bind/listen");
    if (getsockname(listener, (struct sockaddr *) &addr, &len)) die("getsockname");
    sv[0] = socket(AF_INET, SOCK_STREAM, 0);
    if (sv[0] < 0 || connect(sv[0], (struct sockaddr *) &addr, len)) die("connect");
    sv[1] = accept(listener, NULL, NULL);
    if (sv[1] < 0) die("accept");
    close(listener);
    setsockopt(sv[0], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(sv[1], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

/*
 * The ring of ipc-shm (RingLayout): records committed by a release store of their length, the producer clearing the
 * next record's header before each commit and keeping one header slot clear of the consumer's head, padding to the
 * end of the ring instead of wrapping, the consumer committing its head once a quarter of the ring was read or before
 * it waits. Waiting is RingWaiter's: spin; for shm-blocking, 256 spins, 64 yields, then a futex sleep announced by a
 * flag, which the other side's publish clears and wakes only when it is set.
 */
static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

#define RING_MAGIC 0x32474E4952435049ULL
#define RING_TAIL 128
#define RING_HEAD 256
#define RING_CONSUMER 384 /* its sleeping flag; +4 the data signal word; +8 its may-sleep flag */
#define RING_PRODUCER 512 /* the same three for the producer, the signal word counting freed space */
#define RING_DATA 640
#define SPINS 256
#define YIELDS 64

struct ring {
    char *base;
    uint64_t capacity, mask, tail, head_cache, head, committed;
    int blocking;
};

static inline uint64_t align8(uint64_t n) {
    return (n + 7) & ~(uint64_t) 7;
}

static inline int32_t *ring_word(struct ring *r, int offset) {
    return (int32_t *) (r->base + offset);
}

/* RingMechanism's capacity: room for eight records and at least 4 KiB for round trips, sixteen and 64 KiB streaming. */
static uint64_t ring_capacity(size_t size, int streaming) {
    uint64_t record = align8(8 + size), wanted = streaming ? 16 * record : 8 * record;
    uint64_t capacity = streaming ? 65536 : 4096;
    while (capacity < wanted) capacity <<= 1;
    return capacity;
}

static struct ring ring_init(char *base, uint64_t capacity, int blocking) {
    memset(base, 0, RING_DATA + capacity);
    memcpy(base + 8, &capacity, sizeof capacity);
    struct ring r = {.base = base, .capacity = capacity, .mask = capacity - 1, .blocking = blocking};
    __atomic_store_n(ring_word(&r, RING_CONSUMER + 8), blocking, __ATOMIC_SEQ_CST);
    __atomic_store_n(ring_word(&r, RING_PRODUCER + 8), blocking, __ATOMIC_SEQ_CST);
    __atomic_store_n((uint64_t *) base, RING_MAGIC, __ATOMIC_RELEASE);
    return r;
}

static int has_record(struct ring *r, uint64_t unused) {
    (void) unused;
    return __atomic_load_n((int32_t *) (r->base + RING_DATA + (r->head & r->mask)), __ATOMIC_ACQUIRE) != 0;
}

static int has_room(struct ring *r, uint64_t wanted) {
    r->head_cache = __atomic_load_n((uint64_t *) (r->base + RING_HEAD), __ATOMIC_ACQUIRE);
    return r->tail + wanted - r->head_cache <= r->capacity;
}

/* In the parent, the child it waits for: a ring has no end of stream, so a dead child is noticed by asking. */
static pid_t peer_pid;

static void report_dead_child(int status) {
    fprintf(stderr, "pingpong: the child died (status %d) while the parent waited for it\n", status);
    exit(1);
}

static void check_peer(void) {
    int status;
    if (peer_pid > 0 && waitpid(peer_pid, &status, WNOHANG) == peer_pid) report_dead_child(status);
}

/* Waits until ready(r, arg); `own` is the waiting side's block of flags (RING_CONSUMER or RING_PRODUCER). */
static void ring_wait(struct ring *r, int own, int (*ready)(struct ring *, uint64_t), uint64_t arg) {
    int announced = 0;
    for (unsigned spins = 0; !ready(r, arg); spins++) {
        if ((spins & 0xfffff) == 0xfffff) check_peer();
        if (!r->blocking || spins < SPINS) {
            cpu_relax();
        } else if (spins < SPINS + YIELDS) {
            sched_yield();
        } else {
            int32_t signal = __atomic_load_n(ring_word(r, own + 4), __ATOMIC_SEQ_CST);
            __atomic_store_n(ring_word(r, own + 8), 1, __ATOMIC_SEQ_CST);
            __atomic_store_n(ring_word(r, own), 1, __ATOMIC_SEQ_CST); /* announce, then check again */
            __atomic_thread_fence(__ATOMIC_SEQ_CST);
            announced = 1;
            if (ready(r, arg)) break;
            struct timespec bound = {0, 100000000};
            if (syscall(SYS_futex, ring_word(r, own + 4), FUTEX_WAIT, signal, &bound, NULL, 0) < 0
                && errno == ETIMEDOUT) {
                check_peer(); /* asleep 100 ms: is the other side still there? */
            }
        }
    }
    if (announced) __atomic_store_n(ring_word(r, own), 0, __ATOMIC_RELEASE);
}

/* After a publish: wakes the side whose flags are at `peer` if it announced that it sleeps. */
static void ring_wake(struct ring *r, int peer) {
    if (__atomic_load_n(ring_word(r, peer + 8), __ATOMIC_RELAXED) == 0) return;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    int32_t sleeping = 1;
    if (__atomic_load_n(ring_word(r, peer), __ATOMIC_SEQ_CST) != 0
        && __atomic_compare_exchange_n(ring_word(r, peer), &sleeping, 0, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
        __atomic_fetch_add(ring_word(r, peer + 4), 1, __ATOMIC_SEQ_CST);
        if (syscall(SYS_futex, ring_word(r, peer + 4), FUTEX_WAKE, 1, NULL, NULL, 0) < 0) die("futex(FUTEX_WAKE)");
    }
}

static void ring_send(struct ring *r, const char *message, size_t size) {
    char *data = r->base + RING_DATA;
    uint64_t bytes = align8(8 + size), index = r->tail & r->mask, until_end = r->capacity - index;
    uint64_t wanted = (until_end < bytes ? until_end + bytes : bytes) + 8;
    if (r->tail + wanted - r->head_cache > r->capacity) ring_wait(r, RING_PRODUCER, has_room, wanted);
    if (until_end < bytes) {
        memset(data, 0, 8);
        *(int32_t *) (data + index + 4) = -1;
        __atomic_store_n((int32_t *) (data + index), (int32_t) until_end, __ATOMIC_RELEASE);
        r->tail += until_end;
        index = 0;
    }
    memcpy(data + index + 8, message, size);
    uint64_t next = r->tail + bytes;
    memset(data + (next & r->mask), 0, 8);
    *(int32_t *) (data + index + 4) = 1;
    __atomic_store_n((int32_t *) (data + index), (int32_t) (8 + size), __ATOMIC_RELEASE);
    r->tail = next;
    __atomic_store_n((uint64_t *) (r->base + RING_TAIL), next, __ATOMIC_RELEASE);
    ring_wake(r, RING_CONSUMER);
}

static void ring_commit(struct ring *r) {
    if (r->head != r->committed) {
        r->committed = r->head;
        __atomic_store_n((uint64_t *) (r->base + RING_HEAD), r->head, __ATOMIC_RELEASE);
        ring_wake(r, RING_PRODUCER);
    }
}

/* The next message's payload length (copied into `into`); 0 is the zero-length record that ends a run. */
static size_t ring_receive(struct ring *r, char *into) {
    char *data = r->base + RING_DATA;
    for (;;) {
        uint64_t index = r->head & r->mask;
        int32_t length = __atomic_load_n((int32_t *) (data + index), __ATOMIC_ACQUIRE);
        if (length == 0) {
            ring_commit(r);
            ring_wait(r, RING_CONSUMER, has_record, 0);
            continue;
        }
        if (*(int32_t *) (data + index + 4) == -1) {
            r->head += (uint64_t) length;
            continue;
        }
        size_t size = (size_t) length - 8;
        memcpy(into, data + index + 8, size);
        r->head += align8((uint64_t) length);
        if (r->head - r->committed >= r->capacity / 4) ring_commit(r);
        return size;
    }
}

/*
 * One side of a conversation, whatever carries it: a byte stream (pipe, fifo, uds, tcp; fixed-size messages), UDP
 * datagrams, a message queue each way, or a ring each way. An empty message (or end of stream) ends it.
 */
enum kind { STREAM, DATAGRAM, QUEUE, RING, COUNTER, SYSV_QUEUE, MAILBOX };

/* The count that ends an eventfd conversation: one above every message's (a 4-byte value plus one). */
#define EVENTFD_END ((uint64_t) 1 << 32 | 1)

/* An eventfd has no end of stream: in the parent, SIGCHLD adds the end count to the counter it reads, so a child
   that died wakes a blocked read (or the next one) instead of leaving it waiting for ever. */
static int eventfd_wake = -1;

static void on_child_exit(int signal) {
    (void) signal;
    uint64_t end = EVENTFD_END;
    if (eventfd_wake >= 0 && write(eventfd_wake, &end, sizeof end) < 0) {
        /* nothing to do in a handler: the counter was full, so a read will not block */
    }
}

/* Neither have POSIX queues and UDP: in the parent, SIGCHLD makes both queues non-blocking (a wait that starts later
   fails at once; one under way fails with EINTR, the handler having no SA_RESTART), or shuts the UDP socket down (a
   receive returns 0). A failed send or receive then reports the dead child. */
static mqd_t unblock_queues[2] = {(mqd_t) -1, (mqd_t) -1};
static int unblock_socket = -1;

static void on_child_exit_unblock(int signal) {
    (void) signal;
    struct mq_attr nonblocking = {.mq_flags = O_NONBLOCK};
    for (int i = 0; i < 2; i++) {
        if (unblock_queues[i] != (mqd_t) -1) mq_setattr(unblock_queues[i], &nonblocking, NULL);
    }
    if (unblock_socket >= 0) shutdown(unblock_socket, SHUT_RDWR);
}

/* A System V queue has no end of stream either: in the parent, SIGCHLD removes it, so a child that died wakes a
   blocked msgrcv with EIDRM. */
static int sysv_queue = -1;

static void on_child_exit_remove_queue(int signal) {
    (void) signal;
    if (sysv_queue >= 0) msgctl(sysv_queue, IPC_RMID, NULL);
}

/* At any exit of the parent (die, a dead child, a differing echo): System V objects outlive their processes. */
static pid_t sysv_owner;

static void remove_queue_at_exit(void) {
    if (sysv_queue >= 0 && getpid() == sysv_owner) msgctl(sysv_queue, IPC_RMID, NULL);
}

/*
 * One message at a time through shared memory, as the Java Mailbox (comparison module) lays it out: the sender waits
 * until the previous message was taken, writes the next and publishes its number; the receiver waits for the
 * number, copies, and says it took it. 0 sent (own cache line), 64 taken (own cache line), 128 int32 length (-1:
 * the end), 136 the message.
 */
#define MB_SENT 0
#define MB_TAKEN 64
#define MB_LENGTH 128
#define MB_PAYLOAD 136

struct mailbox {
    char *base;
    size_t capacity;
    uint64_t count;
};

static size_t mailbox_bytes(size_t capacity) {
    return (MB_PAYLOAD + capacity + 63) & ~(size_t) 63;
}

static void mb_spin(unsigned spins) {
    cpu_relax();
    if ((spins & 0xfffff) == 0xfffff) check_peer(); /* a system call: seldom, as the ring does */
}

static void mb_send(struct mailbox *m, const char *buf, size_t n) {
    for (unsigned spins = 1; __atomic_load_n((uint64_t *) (m->base + MB_TAKEN), __ATOMIC_ACQUIRE) != m->count; spins++)
        mb_spin(spins);
    memcpy(m->base + MB_PAYLOAD, buf, n);
    *(int32_t *) (m->base + MB_LENGTH) = n == 0 ? -1 : (int32_t) n;
    m->count++;
    __atomic_store_n((uint64_t *) (m->base + MB_SENT), m->count, __ATOMIC_RELEASE);
}

static size_t mb_receive(struct mailbox *m, char *buf) {
    uint64_t next = m->count + 1;
    for (unsigned spins = 1; __atomic_load_n((uint64_t *) (m->base + MB_SENT), __ATOMIC_ACQUIRE) != next; spins++)
        mb_spin(spins);
    int32_t length = *(int32_t *) (m->base + MB_LENGTH);
    if (length > (int32_t) m->capacity) { /* another process wrote into the segment */
        fprintf(stderr, "pingpong: a mailbox length of %d where at most %zu fit\n", length, m->capacity);
        exit(1);
    }
    if (length > 0) memcpy(buf, m->base + MB_PAYLOAD, (size_t) length);
    m->count = next;
    __atomic_store_n((uint64_t *) (m->base + MB_TAKEN), next, __ATOMIC_RELEASE);
    return length > 0 ? (size_t) length : 0;
}

struct channel {
    enum kind kind;
    struct mailbox *mb_rx, *mb_tx;
    int in, out;
    mqd_t mq_in, mq_out;
    struct ring *rx, *tx;
    int msq;
    long tx_type, rx_type;
    char *msgbuf; /* a long type, then the text */
};

static void ch_send(struct channel *c, const char *buf, size_t n) {
    switch (c->kind) {
    case STREAM: write_all(c->out, buf, n); break;
    case DATAGRAM: if (send(c->out, buf, n, 0) != (ssize_t) n) { check_peer(); die("send"); } break;
    case QUEUE: if (mq_send(c->mq_out, buf, n, 0)) { check_peer(); die("mq_send"); } break;
    case SYSV_QUEUE:
        memcpy(c->msgbuf, &c->tx_type, sizeof(long));
        memcpy(c->msgbuf + sizeof(long), buf, n);
        if (msgsnd(c->msq, c->msgbuf, n, 0)) die("msgsnd");
        break;
    case RING: ring_send(c->tx, buf, n); break;
    case MAILBOX: mb_send(c->mb_tx, buf, n); break;
    case COUNTER: {
        uint32_t value = 0;
        memcpy(&value, buf, n < sizeof value ? n : sizeof value);
        uint64_t count = n == 0 ? EVENTFD_END : (uint64_t) value + 1;
        if (write(c->out, &count, sizeof count) != (ssize_t) sizeof count) die("write(eventfd)");
        break;
    }
    }
}

/* Receives one `size`-byte message into buf: its length, or 0 at the end. */
static size_t ch_receive(struct channel *c, char *buf, size_t size) {
    ssize_t n;
    switch (c->kind) {
    case STREAM: return read_all(c->in, buf, size) ? size : 0;
    case DATAGRAM: n = recv(c->in, buf, size, 0); if (n < 0) { check_peer(); die("recv"); } return (size_t) n;
    case QUEUE: n = mq_receive(c->mq_in, buf, size, NULL); if (n < 0) { check_peer(); die("mq_receive"); } return (size_t) n;
    case SYSV_QUEUE:
        n = msgrcv(c->msq, c->msgbuf, size, c->rx_type, 0);
        if (n < 0) die("msgrcv");
        memcpy(buf, c->msgbuf + sizeof(long), (size_t) n);
        return (size_t) n;
    case RING: return ring_receive(c->rx, buf);
    case MAILBOX: return mb_receive(c->mb_rx, buf);
    case COUNTER: {
        uint64_t count;
        if (read(c->in, &count, sizeof count) != (ssize_t) sizeof count) die("read(eventfd)");
        if (count == EVENTFD_END) return 0;
        uint32_t value = (uint32_t) (count - 1);
        memcpy(buf, &value, size < sizeof value ? size : sizeof value);
        return size;
    }
    }
    return 0;
}

static void ch_receive_exactly(struct channel *c, char *buf, size_t size) {
    if (ch_receive(c, buf, size) != size) {
        fprintf(stderr, "pingpong: the peer ended early or sent a message of another size\n");
        exit(1);
    }
}

/* Ends the conversation: the receiver's next ch_receive returns 0. */
static void ch_end(struct channel *c) {
    if (c->kind == STREAM) {
        close(c->out);
        if (c->in != c->out) close(c->in);
    } else {
        ch_send(c, "", 0);
    }
}

/* The child: echoes every message (latency), or takes the warm-up and the measured messages and acknowledges the
 * last of each (throughput); then waits for the end. */
static void serve(struct channel *c, size_t size, int throughput, long count, long warmup) {
    char *buf = malloc(size + 1);
    if (!throughput) {
        for (size_t n; (n = ch_receive(c, buf, size)) > 0;) ch_send(c, buf, n);
        _exit(0);
    }
    if (warmup > 0) {
        for (long i = 0; i < warmup; i++) ch_receive_exactly(c, buf, size);
        ch_send(c, buf, size);
    }
    for (long i = 0; i < count; i++) ch_receive_exactly(c, buf, size);
    ch_send(c, buf, size);
    while (ch_receive(c, buf, size) > 0) {
    }
    _exit(0);
}

static volatile sig_atomic_t pinged;

static void on_ping(int signal) {
    (void) signal;
    pinged = 1;
}

static volatile sig_atomic_t child_gone;

static void on_child_gone(int signal) {
    (void) signal;
    child_gone = 1;
}

static void child_died(pid_t child) {
    int status = 0;
    waitpid(child, &status, 0);
    report_dead_child(status);
}

/* The signal twins: one signal each way, no buffer. Fills in the round trips and the CPU time of the timed ones. */
static void signal_pingpong(int realtime, long trips, long warmup, int child_cpu, int64_t *rtt, int64_t *cpu) {
    int sig = realtime ? SIGRTMIN + 1 : SIGUSR1;
    sigset_t set, waitmask;
    sigemptyset(&set);
    sigaddset(&set, sig);
    if (!realtime) {
        struct sigaction sa = {.sa_handler = on_ping};
        sigemptyset(&sa.sa_mask);
        if (sigaction(sig, &sa, NULL)) die("sigaction");
    }
    /* SIGCHLD ends the parent's wait if the child dies: delivered in sigsuspend, or read from the signalfd */
    sigset_t with_child = set;
    sigaddset(&with_child, SIGCHLD);
    struct sigaction gone = {.sa_handler = on_child_gone, .sa_flags = SA_NOCLDSTOP};
    sigemptyset(&gone.sa_mask);
    if (sigaction(SIGCHLD, &gone, NULL)) die("sigaction(SIGCHLD)");
    /* blocked outside the waits, so a signal that comes early stays pending instead of being lost */
    if (sigprocmask(SIG_BLOCK, &with_child, &waitmask)) die("sigprocmask");
    sigdelset(&waitmask, sig);
    sigdelset(&waitmask, SIGCHLD);
    pid_t parent = getpid(), child = fork();
    if (child < 0) die("fork");
    struct signalfd_siginfo info;
    /* after fork: each side its own */
    int sfd = realtime ? signalfd(-1, child == 0 ? &set : &with_child, SFD_CLOEXEC) : -1;
    if (realtime && sfd < 0) die("signalfd");
    if (child == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (child_cpu >= 0) pin_to(child_cpu);
        start_child_thread();
        for (;;) {
            if (realtime) {
                if (read(sfd, &info, sizeof info) != sizeof info) die("read(signalfd)");
                union sigval value = {.sival_int = info.ssi_int};
                if (sigqueue(parent, sig, value)) die("sigqueue");
            } else {
                while (!pinged) sigsuspend(&waitmask);
                pinged = 0;
                if (kill(parent, sig)) die("kill");
            }
        }
    }
    if (!child_thread_started(child)) exit(1);
    confirm_threads();
    for (long i = -warmup; i < trips; i++) {
        if (i == 0) *cpu = cpu_ns(child);
        int64_t start = now_ns();
        if (realtime) {
            union sigval value = {.sival_int = (int) i};
            if (sigqueue(child, sig, value)) die("sigqueue");
            if (read(sfd, &info, sizeof info) != sizeof info) die("read(signalfd)");
            if ((int) info.ssi_signo == SIGCHLD) child_died(child);
            if (info.ssi_int != (int) i) {
                fprintf(stderr, "pingpong: value %d came back as %d\n", (int) i, info.ssi_int);
                exit(1);
            }
        } else {
            if (kill(child, sig)) die("kill");
            while (!pinged) {
                if (child_gone) child_died(child);
                sigsuspend(&waitmask);
            }
            pinged = 0;
        }
        int64_t elapsed = now_ns() - start;
        if (i >= 0) rtt[i] = elapsed;
    }
    *cpu = cpu_ns(child) - *cpu;
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
}

static void print_latency(const char *mechanism, size_t size, long trips, int64_t *rtt, int64_t cpu) {
    qsort(rtt, (size_t) trips, sizeof(int64_t), compare);
#define AT(p) ((long) rtt[(long) ((p) * (trips - 1))])
    printf("%s,%zu,%ld,%ld,%ld,%ld,%ld,%ld,%ld\n", mechanism, size, trips, AT(0.50), AT(0.90), AT(0.99), AT(0.999),
           (long) rtt[trips - 1], (long) cpu);
}

/* The hop mode: one ring in private memory, one thread sending a record and receiving it back. */
static int ring_hops(size_t size, long count, long warmup) {
    uint64_t capacity = ring_capacity(size, 0);
    char *base = aligned_alloc(4096, (RING_DATA + capacity + 4095) & ~(uint64_t) 4095);
    char *sent = malloc(size), *got = malloc(size);
    if (!base || !sent || !got) die("malloc");
    struct ring r = ring_init(base, capacity, 0);
    memset(sent, 7, size);
    int64_t start = 0;
    for (long i = -warmup; i < count; i++) {
        if (i == 0) start = now_ns();
        memcpy(sent, &i, size < sizeof i ? size : sizeof i);
        ring_send(&r, sent, size);
        if (ring_receive(&r, got) != size) {
            fprintf(stderr, "pingpong: hop %ld came back with another size\n", i);
            return 1;
        }
    }
    int64_t elapsed = now_ns() - start;
    if (memcmp(sent, got, size) != 0) { /* the last one: the Java twin checks no payload in its loop either */
        fprintf(stderr, "pingpong: the last hop came back different\n");
        return 1;
    }
    printf("hop,%zu,%ld,%.2f\n", size, count, (double) elapsed / (double) count);
    return 0;
}

/* Maps two rings, request and reply, in one shared segment or file, whose name is gone before the fork. */
static void map_rings(int shm, int blocking, size_t size, int streaming, struct ring *request, struct ring *reply) {
    uint64_t capacity = ring_capacity(size, streaming), bytes = RING_DATA + capacity;
    char path[] = "/tmp/ipc-atlas-pingpong-mmap-XXXXXX", name[64];
    snprintf(name, sizeof name, "/ipc-atlas-pingpong-%d", getpid());
    int fd = shm ? shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600) : mkstemp(path);
    if (fd < 0) die(shm ? "shm_open" : "mkstemp");
    if (shm) shm_unlink(name); else unlink(path); /* open (and soon mapped, inherited by fork): the name can go */
    if (posix_fallocate(fd, 0, (off_t) (2 * bytes))) die("posix_fallocate");
    char *base = mmap(NULL, 2 * bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (base == MAP_FAILED) die("mmap");
    close(fd);
    *request = ring_init(base, capacity, blocking);
    *reply = ring_init(base + bytes, capacity, blocking);
}

int main(int argc, char **argv) {
    if (argc < 5 || argc > 8) {
        fprintf(stderr, "usage: %s MECHANISM SIZE COUNT WARMUP [latency|throughput|hop [none|split|same|A,B "
                "[single|threaded]]]\n", argv[0]);
        return 2;
    }
    const char *mechanism = argv[1], *mode = argc > 5 ? argv[5] : "latency", *pin = argc > 6 ? argv[6] : "none";
    const char *threads = argc > 7 ? argv[7] : "single";
    threaded_processes = strcmp(threads, "threaded") == 0;
    size_t size = strtoul(argv[2], NULL, 10);
    long count = atol(argv[3]), warmup = atol(argv[4]);
    int throughput = strcmp(mode, "throughput") == 0, hop = strcmp(mode, "hop") == 0;
    int signals = strncmp(mechanism, "signal", 6) == 0;
    int udp = strcmp(mechanism, "udp") == 0;
    int parent_cpu = -1, child_cpu = -1, first, second;
    char end;
    if (strcmp(pin, "split") == 0) {
        parent_cpu = 0, child_cpu = 1;
    } else if (strcmp(pin, "same") == 0) {
        parent_cpu = child_cpu = 0;
    } else if (sscanf(pin, "%9d,%9d%c", &first, &second, &end) == 2) {
        parent_cpu = first, child_cpu = second; /* the CPUs the Java side chose, within its taskset */
    }
    /* anything but none must name CPUs this process may use; checked before the fork, since a child that died
       pinning itself would leave the parent waiting */
    int bad_pin = strcmp(pin, "none") != 0 && (!cpu_allowed(parent_cpu) || !cpu_allowed(child_cpu));
    if ((size < 1 && !signals) || count < 1 || warmup < 0 || (!throughput && !hop && strcmp(mode, "latency") != 0)
        || bad_pin || (!threaded_processes && strcmp(threads, "single") != 0)) {
        fprintf(stderr, "pingpong: bad size, count, warm-up, mode, pinning (CPUs must be ones this process may use) "
                "or threads (single or threaded)\n");
        return 2;
    }
    if (hop) {
        if (strcmp(mechanism, "shm") != 0 && strcmp(mechanism, "mmap") != 0) {
            fprintf(stderr, "pingpong: hop is a mode of the shm and mmap rings only\n");
            return 2;
        }
        if (parent_cpu >= 0) pin_to(parent_cpu);
        add_sleeping_thread();
        if (threaded_processes) fprintf(stderr, "pingpong: threaded: two threads in this process\n");
        return ring_hops(size, count, warmup);
    }
    if (throughput && (signals || udp)) {
        fprintf(stderr, "pingpong: %s has no throughput twin: %s\n", mechanism,
                udp ? "UDP drops what the receiver has no room for" : "a signal carries no stream (standard ones merge)");
        return 2;
    }
    if (udp && size > 65507) {
        fprintf(stderr, "pingpong: a UDP datagram carries at most 65507 bytes\n");
        return 2;
    }
    /* the parent's thread and the child's report pipe, before anything that a failure would have to remove */
    add_sleeping_thread();
    expect_child_thread();
    int64_t cpu = 0, *rtt = throughput ? NULL : malloc(sizeof(int64_t) * count);
    if (signals) {
        if (parent_cpu >= 0) pin_to(parent_cpu);
        signal_pingpong(strcmp(mechanism, "signal-rt") == 0, count, warmup, child_cpu, rtt, &cpu);
        print_latency(mechanism, size, count, rtt, cpu);
        return 0;
    }
    struct channel parent = {0}, child = {0};
    struct ring request, reply;
    char dir[] = "/tmp/ipc-atlas-pingpong-XXXXXX", req[64], resp[64];
    int fifo = strcmp(mechanism, "fifo") == 0;
    int shm = strncmp(mechanism, "shm", 3) == 0;
    if (fifo) {
        if (!mkdtemp(dir)) die("mkdtemp");
        snprintf(req, sizeof req, "%s/req", dir);
        snprintf(resp, sizeof resp, "%s/resp", dir);
        if (mkfifo(req, 0600) || mkfifo(resp, 0600)) die("mkfifo");
    } else if (shm || strcmp(mechanism, "mmap") == 0) {
        map_rings(shm, strcmp(mechanism, "shm-blocking") == 0, size, throughput, &request, &reply);
        parent = (struct channel) {.kind = RING, .tx = &request, .rx = &reply};
        child = (struct channel) {.kind = RING, .tx = &reply, .rx = &request};
    } else if (strcmp(mechanism, "mq") == 0) {
        struct mq_attr attr = {.mq_maxmsg = 10, .mq_msgsize = (long) size};
        char req_name[64], resp_name[64];
        snprintf(req_name, sizeof req_name, "/ipc-atlas-pingpong-%d-req", getpid());
        snprintf(resp_name, sizeof resp_name, "/ipc-atlas-pingpong-%d-resp", getpid());
        mqd_t out = mq_open(req_name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
        mqd_t in = out == (mqd_t) -1 ? (mqd_t) -1 : mq_open(resp_name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
        int error = errno;
        mq_unlink(req_name); /* open (and inherited by fork), or failed: either way the names go at once */
        mq_unlink(resp_name);
        errno = error;
        if (out == (mqd_t) -1 || in == (mqd_t) -1) die("mq_open");
        parent = (struct channel) {.kind = QUEUE, .mq_out = out, .mq_in = in};
        child = (struct channel) {.kind = QUEUE, .mq_out = in, .mq_in = out};
    } else if (strcmp(mechanism, "sysv-mq") == 0) {
        int msq = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
        if (msq < 0) die("msgget");
        sysv_queue = msq;
        sysv_owner = getpid();
        atexit(remove_queue_at_exit);
        char *parent_buf = malloc(sizeof(long) + size), *child_buf = malloc(sizeof(long) + size);
        parent = (struct channel) {.kind = SYSV_QUEUE, .msq = msq, .tx_type = 1, .rx_type = 2, .msgbuf = parent_buf};
        child = (struct channel) {.kind = SYSV_QUEUE, .msq = msq, .tx_type = 2, .rx_type = 1, .msgbuf = child_buf};
    } else if (strcmp(mechanism, "sysv-shm") == 0) {
        size_t box = mailbox_bytes(size);
        int id = shmget(IPC_PRIVATE, 2 * box, IPC_CREAT | 0600);
        if (id < 0) die("shmget");
        char *base = shmat(id, NULL, 0);
        int error = errno;
        shmctl(id, IPC_RMID, NULL); /* attached (and inherited by fork), or failed: either way it can go */
        errno = error;
        if (base == (char *) -1) die("shmat");
        static struct mailbox to_child, to_parent;
        to_child = (struct mailbox) {.base = base, .capacity = size};
        to_parent = (struct mailbox) {.base = base + box, .capacity = size};
        parent = (struct channel) {.kind = MAILBOX, .mb_tx = &to_child, .mb_rx = &to_parent};
        child = (struct channel) {.kind = MAILBOX, .mb_tx = &to_parent, .mb_rx = &to_child};
    } else if (strcmp(mechanism, "eventfd") == 0) {
        if (size != 4 || throughput) {
            fprintf(stderr, "pingpong: eventfd carries 4-byte messages, one at a time (an eventfd adds up what "
                    "arrives before a read)\n");
            return 2;
        }
        int to_child = eventfd(0, 0), to_parent = eventfd(0, 0);
        if (to_child < 0 || to_parent < 0) die("eventfd");
        parent = (struct channel) {.kind = COUNTER, .out = to_child, .in = to_parent};
        child = (struct channel) {.kind = COUNTER, .out = to_parent, .in = to_child};
    } else if (strcmp(mechanism, "pipe") == 0) {
        int to_child[2], to_parent[2];
        if (pipe(to_child) || pipe(to_parent)) die("pipe");
        parent = (struct channel) {.kind = STREAM, .out = to_child[1], .in = to_parent[0]};
        child = (struct channel) {.kind = STREAM, .out = to_parent[1], .in = to_child[0]};
    } else if (udp || strcmp(mechanism, "uds") == 0 || strcmp(mechanism, "tcp") == 0) {
        int sv[2];
        socket_pair(mechanism, sv);
        enum kind kind = udp ? DATAGRAM : STREAM;
        parent = (struct channel) {.kind = kind, .out = sv[0], .in = sv[0]};
        child = (struct channel) {.kind = kind, .out = sv[1], .in = sv[1]};
    } else {
        fprintf(stderr, "pingpong: unknown mechanism %s\n", mechanism);
        return 2;
    }
    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* a spinning child must not outlive a parent that was killed */
        if (getppid() == 1) _exit(1);
        if (child_cpu >= 0) pin_to(child_cpu);
        start_child_thread();
        if (fifo) {
            child.kind = STREAM;
            child.in = open(req, O_RDONLY); /* same order as the parent: no deadlock */
            child.out = open(resp, O_WRONLY);
            if (child.in < 0 || child.out < 0) die("open");
        } else if (parent.kind == STREAM) {
            close(parent.out);
            if (parent.in != parent.out) close(parent.in);
        }
        serve(&child, size, throughput, count, warmup);
    }
    if (!child_thread_started(pid)) {
        if (fifo) {
            unlink(req);
            unlink(resp);
            rmdir(dir);
        }
        exit(1); /* the child said why on stderr */
    }
    confirm_threads();
    peer_pid = pid;
    if (parent.kind == COUNTER) {
        eventfd_wake = parent.in;
        struct sigaction on_exit = {.sa_handler = on_child_exit, .sa_flags = SA_RESTART | SA_NOCLDSTOP};
        sigemptyset(&on_exit.sa_mask);
        if (sigaction(SIGCHLD, &on_exit, NULL)) die("sigaction(SIGCHLD)");
        check_peer(); /* a child that died before the handler was in place sent its SIGCHLD to nobody */
    }
    if (parent.kind == SYSV_QUEUE) {
        struct sigaction on_exit = {.sa_handler = on_child_exit_remove_queue, .sa_flags = SA_RESTART | SA_NOCLDSTOP};
        sigemptyset(&on_exit.sa_mask);
        if (sigaction(SIGCHLD, &on_exit, NULL)) die("sigaction(SIGCHLD)");
        check_peer();
    }
    if (parent.kind == QUEUE || parent.kind == DATAGRAM) {
        unblock_queues[0] = parent.kind == QUEUE ? parent.mq_in : (mqd_t) -1;
        unblock_queues[1] = parent.kind == QUEUE ? parent.mq_out : (mqd_t) -1;
        unblock_socket = parent.kind == DATAGRAM ? parent.in : -1;
        struct sigaction on_exit = {.sa_handler = on_child_exit_unblock, .sa_flags = SA_NOCLDSTOP};
        sigemptyset(&on_exit.sa_mask);
        if (sigaction(SIGCHLD, &on_exit, NULL)) die("sigaction(SIGCHLD)");
        check_peer();
    }
    if (parent_cpu >= 0) pin_to(parent_cpu);
    if (fifo) {
        parent.kind = STREAM;
        parent.out = open(req, O_WRONLY);
        parent.in = open(resp, O_RDONLY);
        if (parent.in < 0 || parent.out < 0) die("open");
        unlink(req);
        unlink(resp);
        rmdir(dir);
    } else if (child.kind == STREAM) {
        close(child.out);
        if (child.in != child.out) close(child.in);
    }
    char *sent = malloc(size), *got = malloc(size);
    for (size_t i = 0; i < size; i++) sent[i] = (char) (i * 31 + 7);
    int64_t streamed = 0;
    if (throughput) {
        for (long i = 0; i < warmup; i++) ch_send(&parent, sent, size);
        if (warmup > 0) ch_receive_exactly(&parent, got, size);
        cpu = cpu_ns(pid);
        streamed = now_ns();
        for (long i = 0; i < count; i++) {
            memcpy(sent, &i, size < sizeof i ? size : sizeof i);
            ch_send(&parent, sent, size);
        }
        ch_receive_exactly(&parent, got, size);
        streamed = now_ns() - streamed;
        cpu = cpu_ns(pid) - cpu;
    }
    for (long i = throughput ? count : -warmup; i < count; i++) {
        if (i == 0) cpu = cpu_ns(pid);
        memcpy(sent, &i, size < sizeof i ? size : sizeof i);
        int64_t begin = now_ns();
        ch_send(&parent, sent, size);
        ch_receive_exactly(&parent, got, size);
        int64_t elapsed = now_ns() - begin;
        if (memcmp(sent, got, size) != 0) {
            fprintf(stderr, "pingpong: echo differs at round trip %ld\n", i);
            return 1;
        }
        if (i >= 0) rtt[i] = elapsed;
    }
    if (!throughput) cpu = cpu_ns(pid) - cpu;
    ch_end(&parent);
    int status;
    int waited;
    do waited = waitpid(pid, &status, 0); while (waited < 0 && errno == EINTR);
    if (sysv_queue >= 0) msgctl(sysv_queue, IPC_RMID, NULL); /* System V objects outlive their processes */
    if (waited < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "pingpong: the child did not end cleanly\n");
        return 1;
    }
    if (throughput) {
        printf("%s,%zu,%ld,%ld,%ld\n", mechanism, size, count, (long) streamed, (long) cpu);
    } else {
        print_latency(mechanism, size, count, rtt, cpu);
    }
    return 0;
}
