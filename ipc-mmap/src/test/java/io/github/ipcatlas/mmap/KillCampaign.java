package io.github.ipcatlas.mmap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.Deadline;

/**
 * Kills victim JVMs with SIGKILL at random moments, one after another, and checks the survivors' view after every
 * kill. Victims are started ahead (their JVM start-up is most of the cost), each waits for its turn — a number in a
 * small mapped file, which this side advances only once the previous victim is dead, so only one victim works at a
 * time — then prints {@code running} and works until it is killed. The random moment only varies where each victim
 * is hit; it never decides a verdict.
 *
 * <p>A victim's main method calls {@link #awaitTurn(String[])} first; its last two arguments are the turn file and its
 * number, added by {@link #run}.
 */
public final class KillCampaign {
    /** How long any one step (a victim starting, dying) may take before the campaign fails. */
    public static final Duration STEP_DEADLINE = Duration.ofSeconds(30);
    /** Victims started ahead of the one at work: two cores start two JVMs at once. */
    private static final int AHEAD = 2;

    /** Makes victim {@code number}'s JVM (the turn arguments are added to it). */
    @FunctionalInterface
    public interface Victims {
        ChildJvm.Builder victim(int number);
    }

    /** The check made after each kill. */
    @FunctionalInterface
    public interface AfterKill {
        void check(int kill) throws Exception;
    }

    private KillCampaign() {
    }

    /**
     * A victim JVM: quick start, small heap, and jnr-ffi without bytecode generation (which costs a short-lived JVM
     * about 160 ms and saves nothing in a victim).
     */
    public static ChildJvm.Builder victim(Class<?> mainClass, String... args) {
        return ChildJvm.builder(mainClass).args(args).quickStart().jvmOptions("-Xmx64m")
                .systemProperty("jnr.ffi.asm.enabled", "false");
    }

    /**
     * Runs {@code kills} victims, killing each a random 0 to {@code maxDelay} after it printed {@code running}, and
     * runs {@code afterKill} after each death.
     */
    public static void run(Path workDirectory, int kills, Victims victims, Duration maxDelay, AfterKill afterKill)
            throws Exception {
        Path turnFile = Files.write(workDirectory.resolve("kill-campaign-turn"), new byte[Long.BYTES]);
        Deque<ChildProcess> started = new ArrayDeque<>();
        try (MappedFile turn = MappedFile.map(turnFile, MapMode.READ_WRITE)) {
            for (int kill = 0; kill < kills; kill++) {
                while (started.size() <= AHEAD && kill + started.size() < kills) {
                    int number = kill + started.size();
                    started.add(victims.victim(number).args(turnFile.toString(), String.valueOf(number)).start());
                }
                ChildProcess victim = started.poll();
                turn.setLongVolatile(0, kill);
                victim.awaitLine("running", STEP_DEADLINE);
                LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(TimeUnit.NANOSECONDS.convert(maxDelay) + 1));
                victim.kill(9);
                int exit = victim.awaitExit(STEP_DEADLINE);
                victim.close();
                if (exit != 128 + 9) {
                    throw new AssertionError("victim " + kill + " ended with exit code " + exit + " before it was killed: "
                            + victim.stderr());
                }
                afterKill.check(kill);
            }
        } finally {
            started.forEach(ChildProcess::close);
        }
    }

    /** In a victim: waits until it is this victim's turn (the arguments' last two: turn file, number). */
    public static void awaitTurn(String[] args) throws IOException {
        int number = Integer.parseInt(args[args.length - 1]);
        Deadline deadline = Deadline.after(Duration.ofMinutes(2));
        try (MappedFile turn = MappedFile.map(Path.of(args[args.length - 2]), MapMode.READ_ONLY)) {
            while (turn.getLongVolatile(0) != number) {
                if (deadline.expired()) {
                    throw new IllegalStateException("victim " + number + " never got its turn");
                }
                LockSupport.parkNanos(100_000);
            }
        }
    }
}
