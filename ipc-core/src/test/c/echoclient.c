/*
 * One side of a ping-pong at a time: a C client, pinned to one CPU, exchanges 64-byte messages over two pipes with an
 * echo process that has the pipes as its stdin and stdout, so whatever the two runs differ in is the echo.
 *
 *   cc -O2 -pthread -o echoclient echoclient.c
 *   ./echoclient WARM-UP ROUND-TRIPS -- COMMAND [ARG...]     any echo: EchoPaths, or cat
 *   ./echoclient WARM-UP ROUND-TRIPS --c-echo THREADS        the C echo, in a process with THREADS more threads asleep
 *
 * The measured round trips alternate in blocks of 500 between two halves, A and B. EchoPaths switches its path at the
 * same blocks (both count from the first message, warm-up included), so that two paths compared within one process
 * meet the same placement of the VM's two vCPUs, which moves these figures by more than the paths differ. Prints the
 * lower quartile and the median of each half, in ns:
 *
 *   A p25 p50  B p25 p50
 *
 * The CPU is the lowest of those the client may use; the echo, every thread of it, inherits it, so each hand-over is
 * a context switch. Each message carries its round trip's number. The run fails (exit 1, the echo and its process
 * group killed, the echo reaped) if a message comes back changed, the echo ends early or sends more than it was sent,
 * exits with a failure, or stays silent for ECHOCLIENT_PATIENCE seconds (10 unless set) in a block of 500 round trips
 * or after the end of its input. Bad arguments exit 2. SIGTERM, SIGINT or SIGHUP to the client kill the echo and its
 * group too, and a run that went well kills whatever the echo left running in its group.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { BYTES = 64, BLOCK = 500 };

static long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

static int by_value(const void *a, const void *b) {
    long x = *(const long *) a, y = *(const long *) b;
    return (x > y) - (x < y);
}

static volatile pid_t echo; /* the echo's pid, also its process group's id; the SIGALRM handler reads it */
static const char *volatile waiting_for = "answer a block of 500 round trips";

/*
 * Kills the echo and its process group, then reaps the echo. What the echo started dies with it unless it left the
 * group (setsid, setpgid). Async-signal-safe.
 */
static void kill_echo(void) {
    if (echo > 0) {
        kill(-echo, SIGKILL);
        kill(echo, SIGKILL); /* the echo itself, even if it left its group */
        while (waitpid(echo, NULL, 0) < 0 && errno == EINTR) {
        }
        echo = 0;
    }
}

static void give_up(int signal) {
    (void) signal;
    const char *parts[] = {"echoclient: the echo did not ", waiting_for,
                           " within ECHOCLIENT_PATIENCE seconds: killed\n"};
    for (int i = 0; i < 3; i++) {
        ssize_t ignored = write(2, parts[i], strlen(parts[i])); /* nothing better to do if it fails */
        (void) ignored;
    }
    kill_echo();
    _exit(1);
}

/* SIGTERM, SIGINT, SIGHUP: the echo goes too, then the client dies of the same signal. */
static void pass_on(int signal) {
    kill_echo();
    struct sigaction fallback = {.sa_handler = SIG_DFL};
    sigaction(signal, &fallback, NULL);
    raise(signal);
}

static int fail(const char *format, long value, const char *detail) {
    alarm(0);
    fprintf(stderr, format, value, detail);
    kill_echo();
    return 1;
}

/* ARG as a whole number from LOW to HIGH, or exit 2 naming it. */
static long number(const char *name, const char *arg, long low, long high) {
    char *end;
    errno = 0;
    long value = strtol(arg, &end, 10);
    if (errno || end == arg || *end || value < low || value > high) {
        fprintf(stderr, "echoclient: %s is %s: want a whole number from %ld to %ld\n", name, arg, low, high);
        exit(2);
    }
    return value;
}

/* Makes descriptors 0, 1 and 2 open, so that the pipes never take their numbers (the echo's dup2 would then undo). */
static void occupy_standard_descriptors(void) {
    for (int fd = 0; fd <= 2; fd++) {
        while (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) >= 0) {
        }
    }
}

static void *sleep_throughout(void *unused) {
    (void) unused;
    for (;;) pause();
    return NULL;
}

/* The C echo: THREADS sleeping threads with every signal blocked, then read and write back until end of stream. */
static void c_echo(int threads) {
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    for (int i = 0; i < threads; i++) {
        pthread_t thread;
        if (pthread_create(&thread, NULL, sleep_throughout, NULL)) _exit(2);
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    char buffer[BYTES];
    for (;;) {
        ssize_t n = read(0, buffer, sizeof buffer);
        if (n <= 0) _exit(n == 0 ? 0 : 1);
        if (write(1, buffer, n) != n) _exit(1);
    }
}

int main(int argc, char **argv) {
    if (argc < 5 || (strcmp(argv[3], "--") && strcmp(argv[3], "--c-echo"))
        || (!strcmp(argv[3], "--c-echo") && argc != 5)) {
        fprintf(stderr, "usage: %s WARM-UP ROUND-TRIPS (-- COMMAND [ARG...] | --c-echo THREADS)\n", argv[0]);
        return 2;
    }
    long warm_up = number("WARM-UP", argv[1], 0, 100000000);
    long round_trips = number("ROUND-TRIPS", argv[2], 2 * BLOCK, 10000000);
    int c_echo_threads = !strcmp(argv[3], "--c-echo") ? (int) number("THREADS", argv[4], 0, 1000) : -1;
    const char *patience_set = getenv("ECHOCLIENT_PATIENCE");
    unsigned patience = patience_set ? (unsigned) number("ECHOCLIENT_PATIENCE", patience_set, 1, 3600) : 10;
    long *half[2] = {malloc(sizeof(long) * round_trips), malloc(sizeof(long) * round_trips)};
    if (!half[0] || !half[1]) {
        fprintf(stderr, "echoclient: no memory for %ld round trips' times\n", round_trips);
        return 1;
    }
    cpu_set_t allowed, one;
    if (sched_getaffinity(0, sizeof allowed, &allowed)) {
        perror("echoclient: sched_getaffinity");
        return 1;
    }
    int cpu = 0;
    while (cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &allowed)) cpu++;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    if (sched_setaffinity(0, sizeof one, &one)) {
        perror("echoclient: sched_setaffinity");
        return 1;
    }
    occupy_standard_descriptors();
    signal(SIGCHLD, SIG_DFL); /* an ignored SIGCHLD, inherited, would reap the echo behind the client's back */
    int to_echo[2], from_echo[2];
    if (pipe(to_echo) || pipe(from_echo)) {
        perror("echoclient: pipe");
        return 1;
    }
    fflush(NULL);
    echo = fork();
    if (echo < 0) {
        perror("echoclient: fork");
        return 1;
    }
    if (echo == 0) {
        setpgid(0, 0); /* a group of its own, which the client kills whole */
        if (dup2(to_echo[0], 0) < 0 || dup2(from_echo[1], 1) < 0) _exit(127);
        close(to_echo[0]), close(to_echo[1]), close(from_echo[0]), close(from_echo[1]); /* the C echo does not exec */
        if (c_echo_threads >= 0) c_echo(c_echo_threads);
        execvp(argv[4], argv + 4);
        perror("echoclient: exec");
        _exit(127);
    }
    setpgid(echo, echo); /* also here, so that the group exists before any kill, whichever runs first */
    close(to_echo[0]), close(from_echo[1]);
    /* Set after the fork, so that the echo keeps the defaults. A gone echo is then a write that fails and says so. */
    signal(SIGPIPE, SIG_IGN);
    signal(SIGALRM, give_up);
    signal(SIGTERM, pass_on);
    signal(SIGINT, pass_on);
    signal(SIGHUP, pass_on);
    char message[BYTES], echoed[BYTES];
    long count[2] = {0, 0};
    for (long i = 0; i < warm_up + round_trips; i++) {
        if (i % BLOCK == 0) alarm(patience); /* outside the clock, once a block */
        memset(message, (int) (i & 0xff), sizeof message); /* each round trip its own bytes, checked on return */
        memcpy(message, &i, sizeof i);
        long start = now_ns();
        if (write(to_echo[1], message, BYTES) != BYTES) {
            return fail("echoclient: the echo ended after %ld round trips (write: %s)\n", i, strerror(errno));
        }
        for (int got = 0; got < BYTES;) {
            ssize_t n = read(from_echo[0], echoed + got, BYTES - got);
            if (n <= 0) {
                return fail("echoclient: the echo ended after %ld round trips%s\n", i, n < 0 ? " (read failed)" : "");
            }
            got += n;
        }
        long elapsed = now_ns() - start;
        if (memcmp(echoed, message, BYTES)) {
            return fail("echoclient: round trip %ld came back changed%s\n", i, "");
        }
        if (i >= warm_up) {
            int which = (int) ((i / BLOCK) % 2);
            half[which][count[which]++] = elapsed;
        }
    }
    waiting_for = "end its output after the end of its input";
    alarm(patience);
    close(to_echo[1]);
    long extra = 0;
    for (ssize_t n; (n = read(from_echo[0], echoed, sizeof echoed)) != 0; extra += n > 0 ? n : 0) {
        if (n < 0) return fail("echoclient: reading the echo's last output failed (errno %ld)%s\n", errno, "");
    }
    if (extra) return fail("echoclient: the echo sent %ld bytes more than it was sent%s\n", extra, "");
    waiting_for = "exit after the end of its input";
    siginfo_t ended; /* waited for without reaping: until reaped, the echo's pid and group id cannot be reused */
    ended.si_pid = 0;
    while (waitid(P_PID, echo, &ended, WEXITED | WNOWAIT) < 0 && errno == EINTR) {
    }
    alarm(0);
    kill(-echo, SIGKILL); /* whatever the echo left running in its group */
    int status = 0;
    if (waitpid(echo, &status, 0) != echo) {
        perror("echoclient: waitpid");
        return 1;
    }
    echo = 0;
    for (int which = 0; which < 2; which++) {
        qsort(half[which], count[which], sizeof(long), by_value);
        printf("%s %ld %ld%s", which ? "B" : "A", half[which][count[which] / 4], half[which][count[which] / 2],
               which ? "\n" : "  ");
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "echoclient: the echo failed (%s %d)\n", WIFEXITED(status) ? "exit" : "signal",
                WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        return 1;
    }
    return 0;
}
