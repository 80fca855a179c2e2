package io.github.ipcatlas.sysv;

import static io.github.ipcatlas.sysv.internal.SysvLayout.MSG_EXCEPT;

/**
 * Which message a System V receive takes: the {@code msgtyp} argument of {@code msgrcv(2)} and its
 * {@code MSG_EXCEPT} flag. Within what a selector matches, messages come out in the order they were sent.
 *
 * <table class="striped">
 * <caption>Selectors and the kernel's msgtyp</caption>
 * <tr><th>selector</th><th>msgtyp</th><th>takes</th></tr>
 * <tr><td>{@link #any()}</td><td>0</td><td>the oldest message of any type</td></tr>
 * <tr><td>{@link #ofType ofType(n)}</td><td>n &gt; 0</td><td>the oldest message of type n</td></tr>
 * <tr><td>{@link #lowestTypeUpTo lowestTypeUpTo(n)}</td><td>-n</td><td>the oldest message of the lowest type
 * &le; n: types used as priorities, 1 first</td></tr>
 * <tr><td>{@link #anyExcept anyExcept(n)}</td><td>n, MSG_EXCEPT</td><td>the oldest message whose type is not n
 * (Linux only)</td></tr>
 * </table>
 *
 * <p>Immutable; thread-safe. Make selectors once and reuse them: receiving allocates nothing.
 */
public final class MessageSelector {
    private static final MessageSelector ANY = new MessageSelector(0, 0);

    private final long type;
    private final int flags;

    private MessageSelector(long type, int flags) {
        this.type = type;
        this.flags = flags;
    }

    /** The oldest message of any type. */
    public static MessageSelector any() {
        return ANY;
    }

    /** The oldest message of {@code type}, which must be positive. */
    public static MessageSelector ofType(long type) {
        return new MessageSelector(checkPositive(type), 0);
    }

    /** The oldest message of the lowest type that is at most {@code maxType} (positive). */
    public static MessageSelector lowestTypeUpTo(long maxType) {
        return new MessageSelector(-checkPositive(maxType), 0);
    }

    /** The oldest message whose type is not {@code type} (positive). */
    public static MessageSelector anyExcept(long type) {
        return new MessageSelector(checkPositive(type), MSG_EXCEPT);
    }

    /**
     * The selector for a {@code msgtyp} as C and the command line give it: 0 any type, {@code n > 0} type n,
     * {@code n < 0} the lowest type up to {@code -n}.
     */
    public static MessageSelector ofMsgtyp(long msgtyp) {
        if (msgtyp == Long.MIN_VALUE) {
            throw new IllegalArgumentException("msgtyp " + msgtyp + " has no positive counterpart");
        }
        return msgtyp == 0 ? ANY : msgtyp > 0 ? ofType(msgtyp) : lowestTypeUpTo(-msgtyp);
    }

    /** The {@code msgtyp} argument. */
    long msgtyp() {
        return type;
    }

    /** The flags it adds to {@code msgrcv}. */
    int flags() {
        return flags;
    }

    @Override
    public String toString() {
        if (flags == MSG_EXCEPT) {
            return "any type except " + type;
        }
        return type == 0 ? "any type" : type > 0 ? "type " + type : "lowest type up to " + -type;
    }

    private static long checkPositive(long type) {
        if (type <= 0) {
            throw new IllegalArgumentException("message type " + type + " must be positive");
        }
        return type;
    }
}
