/*
 * One side of a ping-pong at a time: a C client, pinned to the first CPU, exchanges 64-byte messages over two pipes
 * with an echo process that has the pipes as its stdin and stdout, so whatever the two runs differ in is the echo.
 *
 *   cc -O2 -pthread -o echoclient echoclient.c
 *   ./echoclient WARM-UP ROUND-TRIPS -- COMMAND [ARG...]     any echo: EchoPaths, or cat
 *   ./echoclient WARM-UP ROUND-TRIPS --c-echo THREADS        the C echo, in a process with THREADS more threads asleep
 *
 * The measured round trips alternate in blocks of 500 between two halves, A and B. EchoPaths switches its path at the
 * same blocks, so that two paths compared within one process meet the same placement of the VM's two vCPUs, which
 * moves these figures by more than the paths differ. Prints the lower quartile and the median of each half, in ns:
 *
 *   A p25 p50  B p25 p50
 *
 * Each message carries its round trip's number; one that comes back changed ends the run with exit 1, and so does an
 * echo that fails, or one that leaves a round trip unanswered for ECHOCLIENT_PATIENCE seconds (10 unless set), which
 * is then killed. The echo, every thread of it, inherits the client's CPU, so each hand-over is a context switch.
 */
#define _GNU_SOURCE
#include <errno.h>
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

static pid_t echo;

static void give_up(int signal) {
    (void) signal;
    static const char said[] = "echoclient: the echo stopped answering\n";
    kill(echo, SIGKILL);
    ssize_t ignored = write(2, said, sizeof said - 1); /* nothing better to do if it fails */
    (void) ignored;
    _exit(1);
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
    if (argc < 5 || (strcmp(argv[3], "--") && strcmp(argv[3], "--c-echo"))) {
        fprintf(stderr, "usage: %s WARM-UP ROUND-TRIPS (-- COMMAND [ARG...] | --c-echo THREADS)\n", argv[0]);
        return 2;
    }
    long warm_up = atol(argv[1]), round_trips = atol(argv[2]);
    if (warm_up < 0 || round_trips < 2 * BLOCK) {
        fprintf(stderr, "echoclient: need WARM-UP >= 0 and ROUND-TRIPS >= %d\n", 2 * BLOCK);
        return 2;
    }
    cpu_set_t first;
    CPU_ZERO(&first);
    CPU_SET(0, &first);
    if (sched_setaffinity(0, sizeof first, &first)) {
        perror("echoclient: sched_setaffinity");
        return 1;
    }
    int to_echo[2], from_echo[2];
    if (pipe(to_echo) || pipe(from_echo)) {
        perror("echoclient: pipe");
        return 1;
    }
    const char *patience_set = getenv("ECHOCLIENT_PATIENCE");
    unsigned patience = patience_set ? (unsigned) atoi(patience_set) : 10;
    if (patience == 0) {
        fprintf(stderr, "echoclient: ECHOCLIENT_PATIENCE=%s is not a number of seconds\n", patience_set);
        return 2;
    }
    echo = fork();
    if (echo < 0) {
        perror("echoclient: fork");
        return 1;
    }
    if (echo == 0) {
        dup2(to_echo[0], 0);
        dup2(from_echo[1], 1);
        close(to_echo[0]), close(to_echo[1]), close(from_echo[0]), close(from_echo[1]);
        if (!strcmp(argv[3], "--c-echo")) c_echo(atoi(argv[4]));
        execvp(argv[4], argv + 4);
        perror("echoclient: exec");
        _exit(127);
    }
    close(to_echo[0]), close(from_echo[1]);
    /* A gone echo is then a write that fails and says so; set after the fork, so that the echo keeps the default. */
    signal(SIGPIPE, SIG_IGN);
    signal(SIGALRM, give_up);
    char message[BYTES], echoed[BYTES];
    long *half[2] = {malloc(sizeof(long) * round_trips), malloc(sizeof(long) * round_trips)};
    long count[2] = {0, 0};
    for (long i = 0; i < warm_up + round_trips; i++) {
        if (i % BLOCK == 0) alarm(patience); /* outside the clock, once a block */
        memset(message, (int) (i & 0xff), sizeof message); /* each round trip its own bytes, checked on return */
        memcpy(message, &i, sizeof i);
        long start = now_ns();
        if (write(to_echo[1], message, BYTES) != BYTES) {
            fprintf(stderr, "echoclient: the echo ended after %ld round trips (write: %s)\n", i, strerror(errno));
            return 1;
        }
        for (int got = 0; got < BYTES;) {
            ssize_t n = read(from_echo[0], echoed + got, BYTES - got);
            if (n <= 0) {
                fprintf(stderr, "echoclient: the echo ended after %ld round trips\n", i);
                return 1;
            }
            got += n;
        }
        long elapsed = now_ns() - start;
        if (memcmp(echoed, message, BYTES)) {
            fprintf(stderr, "echoclient: round trip %ld came back changed\n", i);
            return 1;
        }
        if (i >= warm_up) {
            int which = (int) ((i / BLOCK) % 2); /* the echo counts the same messages, warm-up included */
            half[which][count[which]++] = elapsed;
        }
    }
    close(to_echo[1]);
    int status;
    waitpid(echo, &status, 0);
    for (int which = 0; which < 2; which++) {
        qsort(half[which], count[which], sizeof(long), by_value);
        printf("%s %ld %ld%s", which ? "B" : "A", half[which][count[which] / 4], half[which][count[which] / 2],
               which ? "\n" : "  ");
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
