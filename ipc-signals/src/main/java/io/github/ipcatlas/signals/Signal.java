package io.github.ipcatlas.signals;

import java.util.Locale;
import java.util.Map;

import io.github.ipcatlas.signals.internal.SignalNative;

/**
 * A Linux signal: its number and its name, parsed the ways people write them ({@code USR1}, {@code SIGUSR1},
 * {@code 10}, {@code RTMIN+2}, {@code RTMAX-1}) and checked before any system call.
 *
 * <p>Standard signals are 1–31. Real-time signals run from {@link #RTMIN} to {@link #RTMAX}; glibc keeps the first
 * two kernel real-time signals (32, 33) for its own threads, so {@code SIGRTMIN} is 34 and those two cannot be named
 * or sent from here.
 *
 * <p>Some signals cannot be <i>handled</i> in a JVM: {@link #reservedReason()} says why, and
 * {@link #checkHandleable()} refuses them with that reason and a suggestion. Immutable and thread-safe; one instance
 * per number, so {@code ==} works.
 */
public final class Signal implements Comparable<Signal> {
    private static final String[] STANDARD_NAMES = {null, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE",
            "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN",
            "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"};
    private static final Map<String, String> ALIASES = Map.of("POLL", "IO", "IOT", "ABRT", "CLD", "CHLD");
    private static final int KERNEL_MAX = 64;

    /** The first real-time signal available to programs ({@code SIGRTMIN}, 34 with glibc). */
    public static final int RTMIN;
    /** The last real-time signal ({@code SIGRTMAX}, 64). */
    public static final int RTMAX;
    private static final Signal[] BY_NUMBER = new Signal[KERNEL_MAX + 1];

    static {
        int min = 34;
        int max = 64;
        try {
            min = SignalNative.libc().__libc_current_sigrtmin();
            max = SignalNative.libc().__libc_current_sigrtmax();
        } catch (RuntimeException | LinkageError noNative) {
            // names and parsing still work with glibc's values
        }
        RTMIN = min;
        RTMAX = max;
        for (int n = 1; n <= KERNEL_MAX; n++) {
            if (n < STANDARD_NAMES.length || n >= RTMIN && n <= RTMAX) {
                BY_NUMBER[n] = new Signal(n);
            }
        }
    }

    public static final Signal HUP = of(1);
    public static final Signal INT = of(2);
    public static final Signal QUIT = of(3);
    public static final Signal ILL = of(4);
    public static final Signal ABRT = of(6);
    public static final Signal BUS = of(7);
    public static final Signal FPE = of(8);
    public static final Signal KILL = of(9);
    public static final Signal USR1 = of(10);
    public static final Signal SEGV = of(11);
    public static final Signal USR2 = of(12);
    public static final Signal PIPE = of(13);
    public static final Signal ALRM = of(14);
    public static final Signal TERM = of(15);
    public static final Signal CHLD = of(17);
    public static final Signal CONT = of(18);
    public static final Signal STOP = of(19);
    public static final Signal TSTP = of(20);
    public static final Signal WINCH = of(28);

    private final int number;
    private final String name;

    private Signal(int number) {
        this.number = number;
        this.name = number < STANDARD_NAMES.length ? STANDARD_NAMES[number]
                : number == RTMAX ? "RTMAX" : number == RTMIN ? "RTMIN" : "RTMIN+" + (number - RTMIN);
    }

    /**
     * The signal numbered {@code number}.
     *
     * @throws IllegalArgumentException for 0, negative numbers, numbers above {@link #RTMAX}, and the two real-time
     *     signals glibc reserves
     */
    public static Signal of(int number) {
        if (number < 1 || number > KERNEL_MAX || BY_NUMBER[number] == null) {
            if (number > 31 && number < RTMIN) {
                throw new IllegalArgumentException("signal " + number + " is reserved by glibc for its threads "
                        + "(SIGCANCEL, SIGSETXID); real-time signals for programs are RTMIN (" + RTMIN + ") to RTMAX ("
                        + RTMAX + ")");
            }
            throw new IllegalArgumentException("signal number " + number + " is outside 1.." + RTMAX);
        }
        return BY_NUMBER[number];
    }

    /** The real-time signal {@code RTMIN + offset}. */
    public static Signal realtime(int offset) {
        if (offset < 0 || offset > RTMAX - RTMIN) {
            throw new IllegalArgumentException("RTMIN+" + offset + " is outside RTMIN..RTMAX (offsets 0.."
                    + (RTMAX - RTMIN) + ")");
        }
        return of(RTMIN + offset);
    }

    /**
     * Parses {@code USR1}, {@code SIGUSR1}, {@code usr1}, {@code 10}, {@code RTMIN}, {@code RTMIN+2},
     * {@code SIGRTMAX-1}.
     *
     * @throws IllegalArgumentException naming the text when it is none of these
     */
    public static Signal parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty signal: give a name (USR1, SIGTERM, RTMIN+2) or a number");
        }
        String s = text.trim().toUpperCase(Locale.ROOT);
        if (s.chars().allMatch(Character::isDigit)) {
            try {
                return of(Integer.parseInt(s));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("signal number " + text + " is outside 1.." + RTMAX);
            }
        }
        if (s.startsWith("SIG")) {
            s = s.substring(3);
        }
        s = ALIASES.getOrDefault(s, s);
        if (s.startsWith("RTMIN") || s.startsWith("RTMAX")) {
            return parseRealtime(s, text);
        }
        for (int n = 1; n < STANDARD_NAMES.length; n++) {
            if (STANDARD_NAMES[n].equals(s)) {
                return BY_NUMBER[n];
            }
        }
        throw new IllegalArgumentException("unknown signal \"" + text + "\"; known: "
                + String.join(" ", java.util.Arrays.copyOfRange(STANDARD_NAMES, 1, STANDARD_NAMES.length))
                + " RTMIN RTMIN+n RTMAX-n RTMAX, or a number");
    }

    private static Signal parseRealtime(String s, String text) {
        boolean fromMin = s.startsWith("RTMIN");
        String rest = s.substring(5);
        int offset = 0;
        if (!rest.isEmpty()) {
            char sign = rest.charAt(0);
            if (sign != (fromMin ? '+' : '-') || rest.length() == 1 || !rest.substring(1).chars()
                    .allMatch(Character::isDigit) || rest.length() > 4) {
                throw new IllegalArgumentException("signal \"" + text + "\": write RTMIN+n or RTMAX-n");
            }
            offset = Integer.parseInt(rest.substring(1));
        }
        int number = fromMin ? RTMIN + offset : RTMAX - offset;
        if (number < RTMIN || number > RTMAX) {
            throw new IllegalArgumentException("signal \"" + text + "\" is outside RTMIN..RTMAX (" + RTMIN + ".."
                    + RTMAX + ")");
        }
        return of(number);
    }

    /** The number, e.g. 10. */
    public int number() {
        return number;
    }

    /** The short name, e.g. {@code USR1} or {@code RTMIN+2}. */
    public String name() {
        return name;
    }

    /** The name with its prefix, e.g. {@code SIGUSR1}, as {@code kill -l} and the man pages write it. */
    public String fullName() {
        return "SIG" + name;
    }

    /** Whether this is a real-time signal: queued (never merged), ordered, able to carry a value. */
    public boolean isRealtime() {
        return number >= RTMIN;
    }

    /**
     * Why a JVM cannot handle this signal, or {@code null} if it can. Such signals can still be <i>sent</i>.
     */
    public String reservedReason() {
        return switch (number) {
            case 9, 19 -> fullName() + " cannot be caught, blocked or ignored by any process";
            case 3 -> "the JVM uses SIGQUIT to print thread dumps";
            case 4, 8, 11 -> "the JVM uses " + fullName() + " itself (implicit null checks, safepoints, "
                    + "arithmetic traps); a handler would break it";
            case 7 -> "the JVM turns SIGBUS into an InternalError on faults in memory-mapped files";
            case 12 -> "HotSpot uses SIGUSR2 to suspend and resume threads";
            default -> null;
        };
    }

    /**
     * Refuses to send this signal to the calling JVM itself when it would crash it or corrupt its state: ILL, FPE,
     * SEGV and BUS look to the JVM like faults of its own code (a crash report, exit 134), and SIGUSR2 is HotSpot's
     * thread suspend signal (JDK 17 crashes on a stray one). KILL, STOP and QUIT (a thread dump) do what they say.
     * Sending any of them to <i>another</i> process is allowed: that is the caller's decision about that process.
     *
     * @throws IllegalArgumentException if {@code targetIsThisJvm} and this is such a signal
     */
    Signal checkSendable(boolean targetIsThisJvm) {
        if (targetIsThisJvm && (number == 4 || number == 7 || number == 8 || number == 11 || number == 12)) {
            throw new IllegalArgumentException("sending " + fullName() + " to this JVM (pid "
                    + ProcessHandle.current().pid() + ") would crash it: " + reservedReason());
        }
        return this;
    }

    /**
     * @throws IllegalArgumentException if the JVM reserves this signal, saying why and which to use instead
     */
    public Signal checkHandleable() {
        String reason = reservedReason();
        if (reason != null) {
            throw new IllegalArgumentException(fullName() + " cannot be handled in a JVM: " + reason
                    + "; use USR1, HUP, WINCH or a real-time signal (RTMIN+n) instead");
        }
        return this;
    }

    @Override
    public int compareTo(Signal other) {
        return Integer.compare(number, other.number);
    }

    @Override
    public String toString() {
        return fullName() + "(" + number + ")";
    }
}
