/*
 * The C twin of CallCostBenchmark and CallCostRounds: what a system call on a descriptor costs a process that has one
 * thread, and one that has two, as every JVM has (the second sleeps throughout).
 *
 *   cc -O2 -pthread -o callcost callcost.c && taskset -c 0 ./callcost [CALLS [ROUNDS]]
 *
 * Each round forks two children, one alone and one with a sleeping thread, one after the other, so drift hits both
 * alike; each times CALLS of: a 64-byte write and read on a pipe of its own (never blocking), fcntl(F_GETFL) on it,
 * and getppid, which takes no descriptor. Prints the median of the rounds, in ns per call or per write+read.
 *
 * Why the second thread costs: a descriptor lookup (fdget) in a process whose descriptor table is shared by several
 * threads takes a reference to the file and drops it after the call, since another thread could close the
 * descriptor meanwhile; a lone thread skips both.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { KINDS = 3, MAX_ROUNDS = 99 };
static const char *const NAMES[KINDS] = {"write+read 64 B on a pipe", "fcntl(F_GETFL)", "getppid (no descriptor)"};

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static void *sleep_throughout(void *unused) {
    (void) unused;
    for (;;) pause();
    return NULL;
}

/* In a child: times each kind, writes the results to `out`. */
static void measure(int threaded, long calls, int out) {
    if (threaded) {
        sigset_t all;
        sigfillset(&all);
        pthread_sigmask(SIG_BLOCK, &all, NULL);
        pthread_t thread;
        if (pthread_create(&thread, NULL, sleep_throughout, NULL)) _exit(2);
    }
    int fds[2];
    char sent[64] = {1}, got[64];
    if (pipe2(fds, O_CLOEXEC)) _exit(1);
    double ns[KINDS], start = now_ns();
    for (long i = 0; i < calls; i++) {
        if (write(fds[1], sent, sizeof sent) != sizeof sent || read(fds[0], got, sizeof got) != sizeof got) _exit(1);
    }
    ns[0] = (now_ns() - start) / calls;
    start = now_ns();
    for (long i = 0; i < calls; i++) {
        if (syscall(SYS_fcntl, fds[0], F_GETFL) < 0) _exit(1);
    }
    ns[1] = (now_ns() - start) / calls;
    start = now_ns();
    for (long i = 0; i < calls; i++) syscall(SYS_getppid);
    ns[2] = (now_ns() - start) / calls;
    _exit(write(out, ns, sizeof ns) == sizeof ns ? 0 : 1);
}

static int compare(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    long calls = argc > 1 ? atol(argv[1]) : 500000;
    int rounds = argc > 2 ? atoi(argv[2]) : 9;
    if (calls < 1 || rounds < 1 || rounds > MAX_ROUNDS) {
        fprintf(stderr, "usage: %s [CALLS [ROUNDS (1-%d)]]\n", argv[0], MAX_ROUNDS);
        return 2;
    }
    static double results[2][KINDS][MAX_ROUNDS];
    for (int round = 0; round < rounds; round++) {
        for (int threaded = 0; threaded < 2; threaded++) {
            int channel[2];
            if (pipe(channel)) {
                perror("callcost: pipe");
                return 1;
            }
            pid_t child = fork();
            if (child == 0) {
                close(channel[0]);
                measure(threaded, calls, channel[1]);
            }
            close(channel[1]); /* so that a child that dies without writing gives end of file, not a wait for ever */
            double ns[KINDS];
            int status = -1;
            ssize_t got = child < 0 ? -1 : read(channel[0], ns, sizeof ns);
            if (child > 0) waitpid(child, &status, 0);
            close(channel[0]);
            if (child < 0) {
                perror("callcost: fork");
                return 1;
            }
            if (got != sizeof ns || status != 0) {
                fprintf(stderr, "callcost: the %s child of round %d failed (%s %d)\n",
                        threaded ? "two-thread" : "one-thread", round + 1,
                        WIFSIGNALED(status) ? "signal" : "exit", WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
                return 1;
            }
            for (int k = 0; k < KINDS; k++) results[threaded][k][round] = ns[k];
        }
    }
    printf("median of %d rounds, %ld calls each: one thread | two threads (ns)\n", rounds, calls);
    for (int k = 0; k < KINDS; k++) {
        qsort(results[0][k], rounds, sizeof(double), compare);
        qsort(results[1][k], rounds, sizeof(double), compare);
        printf("%-28s %8.1f | %8.1f\n", NAMES[k], results[0][k][rounds / 2], results[1][k][rounds / 2]);
    }
    return 0;
}
