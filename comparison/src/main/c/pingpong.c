/*
 * Native baseline for `ipc-atlas bench`: the same ping-pong as the Java harness (one message in flight, an untimed
 * warm-up, every round trip timed with CLOCK_MONOTONIC, every echo compared with what was sent), over the same
 * mechanisms, so the cost of the JVM can be read off per mechanism.
 *
 *   cc -O2 -o pingpong pingpong.c        (glibc 2.34+: mq_* are in libc; older: add -lrt)
 *   ./pingpong MECHANISM SIZE ROUND_TRIPS WARMUP
 *   MECHANISM: pipe | fifo | mq | mmap | shm (these two spin) | uds | tcp | udp
 *              | signal (SIGUSR1 and a handler, SIZE 0) | signal-rt (sigqueue + signalfd, SIZE 4)
 *
 * Prints one CSV line: mechanism,size_bytes,round_trips,p50_ns,p90_ns,p99_ns,p999_ns,max_ns
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void die(const char *call) {
    fprintf(stderr, "pingpong: %s failed: %s\n", call, strerror(errno));
    exit(1);
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

static volatile sig_atomic_t pinged;

static void on_ping(int signal) {
    (void) signal;
    pinged = 1;
}

/* The signal twins: one signal each way, no buffer. Returns only in the parent, with the round trips filled in. */
static void signal_pingpong(int realtime, long trips, long warmup, int64_t *rtt);

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t) t.tv_sec * 1000000000 + t.tv_nsec;
}

static int compare(const void *a, const void *b) {
    int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;
    return (x > y) - (x < y);
}

/* Message queues keep message boundaries and have no end of stream: a zero-length message ends the conversation. */
static void mq_echo(mqd_t in, mqd_t out, size_t size) {
    char *buf = malloc(size);
    for (;;) {
        ssize_t n = mq_receive(in, buf, size, NULL);
        if (n < 0) die("mq_receive");
        if (n == 0) _exit(0);
        if (mq_send(out, buf, (size_t) n, 0)) die("mq_send");
    }
}

/*
 * The ring of ipc-shm (RingLayout), which the shm and mmap mechanisms use one of each way: records committed by a
 * release store of their length, the producer clearing the next record's header before each commit and keeping one
 * header slot clear of the consumer's head, padding to the end of the ring instead of wrapping, the consumer
 * committing its head once a quarter of the ring was read or before it waits. Both sides spin.
 */
static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

#define RING_MAGIC 0x32474E4952435049ULL
#define RING_TAIL 128
#define RING_HEAD 256
#define RING_DATA 640

struct ring {
    char *base;
    uint64_t capacity, mask, tail, head_cache, head, committed;
};

static inline uint64_t align8(uint64_t n) {
    return (n + 7) & ~(uint64_t) 7;
}

/* The ring capacity RingMechanism picks for round trips: room for eight records, at least 4 KiB, a power of two. */
static uint64_t ring_capacity(size_t size) {
    uint64_t wanted = 8 * align8(8 + size), capacity = 4096;
    while (capacity < wanted) capacity <<= 1;
    return capacity;
}

static void ring_init(char *base, uint64_t capacity) {
    memset(base, 0, RING_DATA + capacity);
    memcpy(base + 8, &capacity, sizeof capacity);
    __atomic_store_n((uint64_t *) base, RING_MAGIC, __ATOMIC_RELEASE);
}

static struct ring ring_at(char *base, uint64_t capacity) {
    struct ring r = {.base = base, .capacity = capacity, .mask = capacity - 1};
    return r;
}

static void ring_send(struct ring *r, const char *message, size_t size) {
    char *data = r->base + RING_DATA;
    uint64_t bytes = align8(8 + size), index = r->tail & r->mask, until_end = r->capacity - index;
    uint64_t wanted = (until_end < bytes ? until_end + bytes : bytes) + 8;
    while (r->tail + wanted - r->head_cache > r->capacity) {
        r->head_cache = __atomic_load_n((uint64_t *) (r->base + RING_HEAD), __ATOMIC_ACQUIRE);
        cpu_relax();
    }
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
}

static void ring_commit(struct ring *r) {
    if (r->head != r->committed) {
        r->committed = r->head;
        __atomic_store_n((uint64_t *) (r->base + RING_HEAD), r->head, __ATOMIC_RELEASE);
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
            cpu_relax();
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

static void echo(int in, int out, size_t size) {
    char *buf = malloc(size);
    while (read_all(in, buf, size)) write_all(out, buf, size);
    _exit(0);
}

static void signal_pingpong(int realtime, long trips, long warmup, int64_t *rtt) {
    int sig = realtime ? SIGRTMIN + 1 : SIGUSR1;
    sigset_t set, waitmask;
    sigemptyset(&set);
    sigaddset(&set, sig);
    if (!realtime) {
        struct sigaction sa = {.sa_handler = on_ping};
        sigemptyset(&sa.sa_mask);
        if (sigaction(sig, &sa, NULL)) die("sigaction");
    }
    /* blocked outside the waits, so a signal that comes early stays pending instead of being lost */
    if (sigprocmask(SIG_BLOCK, &set, &waitmask)) die("sigprocmask");
    sigdelset(&waitmask, sig);
    pid_t parent = getpid(), child = fork();
    if (child < 0) die("fork");
    struct signalfd_siginfo info;
    int sfd = realtime ? signalfd(-1, &set, SFD_CLOEXEC) : -1; /* after fork: each side its own */
    if (realtime && sfd < 0) die("signalfd");
    if (child == 0) {
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
    for (long i = -warmup; i < trips; i++) {
        int64_t start = now_ns();
        if (realtime) {
            union sigval value = {.sival_int = (int) i};
            if (sigqueue(child, sig, value)) die("sigqueue");
            if (read(sfd, &info, sizeof info) != sizeof info) die("read(signalfd)");
            if (info.ssi_int != (int) i) {
                fprintf(stderr, "pingpong: value %d came back as %d\n", (int) i, info.ssi_int);
                exit(1);
            }
        } else {
            if (kill(child, sig)) die("kill");
            while (!pinged) sigsuspend(&waitmask);
            pinged = 0;
        }
        int64_t elapsed = now_ns() - start;
        if (i >= 0) rtt[i] = elapsed;
    }
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s pipe|fifo SIZE ROUND_TRIPS WARMUP\n", argv[0]);
        return 2;
    }
    const char *mechanism = argv[1];
    size_t size = strtoul(argv[2], NULL, 10);
    long trips = atol(argv[3]), warmup = atol(argv[4]);
    int signals = strncmp(mechanism, "signal", 6) == 0;
    if ((size < 1 && !signals) || trips < 1 || warmup < 0) {
        fprintf(stderr, "pingpong: bad size, round trips or warm-up\n");
        return 2;
    }
    if (signals) {
        int64_t *times = malloc(sizeof(int64_t) * trips);
        signal_pingpong(strcmp(mechanism, "signal-rt") == 0, trips, warmup, times);
        qsort(times, (size_t) trips, sizeof(int64_t), compare);
        printf("%s,%zu,%ld,%ld,%ld,%ld,%ld,%ld\n", mechanism, size, trips, (long) times[(long) (0.50 * (trips - 1))],
               (long) times[(long) (0.90 * (trips - 1))], (long) times[(long) (0.99 * (trips - 1))],
               (long) times[(long) (0.999 * (trips - 1))], (long) times[trips - 1]);
        return 0;
    }
    int to_child[2], to_parent[2];
    int mq = strcmp(mechanism, "mq") == 0;
    int shm = strcmp(mechanism, "shm") == 0;
    int mm = strcmp(mechanism, "mmap") == 0 || shm;
    struct ring request = {0}, reply = {0};
    uint64_t ring_bytes = RING_DATA + ring_capacity(size);
    char req_name[64], resp_name[64];
    mqd_t mq_out = (mqd_t) -1, mq_in = (mqd_t) -1;
    char dir[] = "/tmp/ipc-atlas-pingpong-XXXXXX", req[64], resp[64];
    int fifo = strcmp(mechanism, "fifo") == 0;
    int udp = strcmp(mechanism, "udp") == 0;
    int sock = udp || strcmp(mechanism, "uds") == 0 || strcmp(mechanism, "tcp") == 0;
    if (udp && size > 65507) {
        fprintf(stderr, "pingpong: a UDP datagram carries at most 65507 bytes\n");
        return 2;
    }
    if (fifo) {
        if (!mkdtemp(dir)) die("mkdtemp");
        snprintf(req, sizeof req, "%s/req", dir);
        snprintf(resp, sizeof resp, "%s/resp", dir);
        if (mkfifo(req, 0600) || mkfifo(resp, 0600)) die("mkfifo");
    } else if (mm) {
        char path[] = "/tmp/ipc-atlas-pingpong-mmap-XXXXXX";
        char shm_name[64];
        snprintf(shm_name, sizeof shm_name, "/ipc-atlas-pingpong-%d", getpid());
        int fd = shm ? shm_open(shm_name, O_RDWR | O_CREAT | O_EXCL, 0600) : mkstemp(path);
        if (fd < 0) die(shm ? "shm_open" : "mkstemp");
        if (posix_fallocate(fd, 0, (off_t) (2 * ring_bytes))) die("posix_fallocate");
        char *base = mmap(NULL, 2 * ring_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (base == MAP_FAILED) die("mmap");
        close(fd);
        if (shm) shm_unlink(shm_name); else unlink(path); /* mapped (and inherited by fork): the name can go */
        ring_init(base, ring_capacity(size));
        ring_init(base + ring_bytes, ring_capacity(size));
        request = ring_at(base, ring_capacity(size));
        reply = ring_at(base + ring_bytes, ring_capacity(size));
    } else if (mq) {
        struct mq_attr attr = {.mq_maxmsg = 10, .mq_msgsize = (long) size};
        snprintf(req_name, sizeof req_name, "/ipc-atlas-pingpong-%d-req", getpid());
        snprintf(resp_name, sizeof resp_name, "/ipc-atlas-pingpong-%d-resp", getpid());
        mq_out = mq_open(req_name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
        mq_in = mq_open(resp_name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
        if (mq_out == (mqd_t) -1 || mq_in == (mqd_t) -1) die("mq_open");
        mq_unlink(req_name); /* both descriptors are open (and inherited by fork): the names can go */
        mq_unlink(resp_name);
    } else if (strcmp(mechanism, "pipe") == 0) {
        if (pipe(to_child) || pipe(to_parent)) die("pipe");
    } else if (sock) {
        int sv[2];
        socket_pair(mechanism, sv);
        /* one bidirectional descriptor per side, laid out as two pipes: parent 0, child 1 */
        to_child[1] = to_parent[0] = sv[0];
        to_child[0] = to_parent[1] = sv[1];
    } else {
        fprintf(stderr, "pingpong: unknown mechanism %s\n", mechanism);
        return 2;
    }
    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* a spinning echo must not outlive a parent that was killed */
        if (getppid() == 1) _exit(1);
        if (mq) mq_echo(mq_out, mq_in, size);
        if (mm) {
            char *buf = malloc(size + 1);
            for (size_t n; (n = ring_receive(&request, buf)) > 0;) ring_send(&reply, buf, n);
            _exit(0);
        }
        if (fifo) {
            int in = open(req, O_RDONLY), out = open(resp, O_WRONLY); /* same order as the parent: no deadlock */
            if (in < 0 || out < 0) die("open");
            echo(in, out, size);
        }
        close(to_child[1]);
        if (!sock) close(to_parent[0]);
        echo(to_child[0], to_parent[1], size);
    }
    int out = -1, in = -1;
    if (mq || mm) {
        /* nothing to open: the queues or the mapping exist since before fork */
    } else if (fifo) {
        out = open(req, O_WRONLY);
        in = open(resp, O_RDONLY);
        if (in < 0 || out < 0) die("open");
        unlink(req);
        unlink(resp);
        rmdir(dir);
    } else {
        close(to_child[0]);
        if (!sock) close(to_parent[1]);
        out = to_child[1];
        in = to_parent[0];
    }
    char *sent = malloc(size), *got = malloc(size);
    for (size_t i = 0; i < size; i++) sent[i] = (char) (i * 31 + 7);
    int64_t *rtt = malloc(sizeof(int64_t) * trips);
    for (long i = -warmup; i < trips; i++) {
        memcpy(sent, &i, size < sizeof i ? size : sizeof i);
        int64_t start = now_ns();
        if (mm) {
            ring_send(&request, sent, size);
            if (ring_receive(&reply, got) != size) die("ring_receive");
        } else if (mq) {
            if (mq_send(mq_out, sent, size, 0)) die("mq_send");
            if (mq_receive(mq_in, got, size, NULL) != (ssize_t) size) die("mq_receive");
        } else {
            write_all(out, sent, size);
            read_all(in, got, size);
        }
        int64_t elapsed = now_ns() - start;
        if (memcmp(sent, got, size) != 0) {
            fprintf(stderr, "pingpong: echo differs at round trip %ld\n", i);
            return 1;
        }
        if (i >= 0) rtt[i] = elapsed;
    }
    if (mm) {
        ring_send(&request, sent, 0); /* a zero-length record ends the run */
    } else if (mq) {
        mq_send(mq_out, sent, 0, 0);
    } else {
        if (udp) send(out, "", 0, 0); /* UDP has no end of stream: an empty datagram reads as 0, the end */
        close(out);
        if (in != out) close(in);
    }
    waitpid(pid, NULL, 0);
    qsort(rtt, (size_t) trips, sizeof(int64_t), compare);
#define AT(p) rtt[(long) ((p) * (trips - 1))]
    printf("%s,%zu,%ld,%ld,%ld,%ld,%ld,%ld\n", mechanism, size, trips, (long) AT(0.50), (long) AT(0.90),
           (long) AT(0.99), (long) AT(0.999), (long) rtt[trips - 1]);
    return 0;
}
