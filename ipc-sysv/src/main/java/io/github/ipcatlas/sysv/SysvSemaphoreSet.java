package io.github.ipcatlas.sysv;

import static io.github.ipcatlas.sysv.SysvBinding.SYSV;
import static io.github.ipcatlas.sysv.internal.SysvLayout.GETALL;
import static io.github.ipcatlas.sysv.internal.SysvLayout.GETNCNT;
import static io.github.ipcatlas.sysv.internal.SysvLayout.GETPID;
import static io.github.ipcatlas.sysv.internal.SysvLayout.GETVAL;
import static io.github.ipcatlas.sysv.internal.SysvLayout.GETZCNT;
import static io.github.ipcatlas.sysv.internal.SysvLayout.IPC_NOWAIT;
import static io.github.ipcatlas.sysv.internal.SysvLayout.SEMBUF_BYTES;
import static io.github.ipcatlas.sysv.internal.SysvLayout.SEMBUF_FLG;
import static io.github.ipcatlas.sysv.internal.SysvLayout.SEMBUF_NUM;
import static io.github.ipcatlas.sysv.internal.SysvLayout.SEMBUF_OP;
import static io.github.ipcatlas.sysv.internal.SysvLayout.SEM_CTIME;
import static io.github.ipcatlas.sysv.internal.SysvLayout.SEM_NSEMS;
import static io.github.ipcatlas.sysv.internal.SysvLayout.SEM_OTIME;
import static io.github.ipcatlas.sysv.internal.SysvLayout.SEM_UNDO;
import static io.github.ipcatlas.sysv.internal.SysvLayout.SETALL;
import static io.github.ipcatlas.sysv.internal.SysvLayout.SETVAL;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Objects;

import io.github.ipcatlas.core.Deadline;
import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.IpcTimeoutException;
import io.github.ipcatlas.core.linux.Native;

/**
 * A System V semaphore set ({@code semget(2)}, {@code semop(2)}, {@code semtimedop(2)}, {@code semctl(2)}): an
 * array of counters changed atomically, several at a time, by {@link SemaphoreOperation}s, with
 * {@link SemaphoreOperation#withUndo() SEM_UNDO} so that what a killed process held is given back.
 *
 * <p><b>The initialisation race.</b> {@code semget} creates a set with every value 0, and setting the values
 * ({@code SETALL}) is a second call: a process that opens the set in between sees zeros. {@link #create} therefore
 * creates, sets the values, and then runs one {@code semop} that changes nothing, which stamps
 * {@code sem_otime}; {@link #openInitialised} waits until that stamp is there. (A creator killed between the two
 * leaves a set that is never initialised; the opener's deadline says so.)
 *
 * <p>An untimed {@link #operate} blocks in the kernel, where {@link Thread#interrupt()} cannot reach it;
 * {@link #remove()} wakes every waiter with {@code EIDRM}. Prefer {@link #operate(Duration, SemaphoreOperation...)}.
 *
 * <p>Thread-safe. Operations allocate nothing beyond their varargs array: the {@code sembuf} array is per-thread
 * native memory.
 */
public final class SysvSemaphoreSet extends SysvHandle {
    private static final String KIND = "semaphore set";
    private static final long FOREVER = -1;

    private final int count;

    private SysvSemaphoreSet(SysvKey key, int id, int count) {
        super(KIND, key, id);
        this.count = count;
    }

    /** Creates a set with these initial values and mode 0600; see {@link #createWithMode}. */
    public static SysvSemaphoreSet create(SysvKey key, int... initialValues) throws IOException {
        return createWithMode(key, DEFAULT_MODE, initialValues);
    }

    /**
     * Creates a set of {@code initialValues.length} semaphores ({@code IPC_CREAT | IPC_EXCL}), sets their values, and
     * marks it initialised (see above). If setting the values fails, the set is removed again.
     *
     * @throws java.nio.file.FileAlreadyExistsException if a set with {@code key} exists
     * @throws IllegalArgumentException                  if there are no values, or one is outside 0..32767, or
     *                                                   {@code mode} is outside 0..0777
     */
    public static SysvSemaphoreSet createWithMode(SysvKey key, int mode, int... initialValues) throws IOException {
        Objects.requireNonNull(initialValues, "initialValues");
        if (initialValues.length == 0 || initialValues.length > 0xFFFF) {
            throw new IllegalArgumentException("a semaphore set holds 1 to 65535 semaphores, not " + initialValues.length);
        }
        for (int value : initialValues) {
            checkValue(value);
        }
        int id = get("semget", KIND, key, Disposition.CREATE, mode, (k, flags) -> SYSV.semget(k, initialValues.length, flags),
                "the namespace's semaphore sets (kernel.sem field 4) or semaphores (field 2) are used up; remove some (ipcrm) or raise it",
                "a set of " + initialValues.length + " is more than kernel.sem field 1 (SEMMSL) allows");
        SysvSemaphoreSet set = new SysvSemaphoreSet(key, id, initialValues.length);
        try {
            set.setValues(initialValues);
            // a semop that changes nothing stamps sem_otime: the sign openInitialised waits for
            int first = initialValues[0];
            set.operate(SemaphoreOperation.add(0, first < SemaphoreOperation.MAX_VALUE ? 1 : -1),
                    SemaphoreOperation.add(0, first < SemaphoreOperation.MAX_VALUE ? -1 : 1));
        } catch (IOException | RuntimeException e) {
            try {
                set.remove();
            } catch (IOException removal) {
                e.addSuppressed(removal);
            }
            throw e;
        }
        return set;
    }

    /**
     * Opens the set that has {@code key} as it is, initialised or not (a set made by another program may never run
     * the {@code semop} that {@link #openInitialised} waits for).
     *
     * @throws NoSuchFileException      if there is none
     * @throws IllegalArgumentException if {@code key} is {@link SysvKey#PRIVATE}
     */
    public static SysvSemaphoreSet open(SysvKey key) throws IOException {
        int id = get("semget", KIND, key, Disposition.OPEN, 0, (k, flags) -> SYSV.semget(k, 0, flags), null, null);
        return new SysvSemaphoreSet(key, id, countOf(id, KIND + " " + key));
    }

    /**
     * Opens the set that has {@code key} once its creator has initialised it ({@code sem_otime} set), waiting at
     * most {@code timeout} for that.
     *
     * @throws IpcTimeoutException if it was not initialised in time
     */
    public static SysvSemaphoreSet openInitialised(SysvKey key, Duration timeout) throws IOException {
        Deadline deadline = Deadline.after(timeout);
        SysvSemaphoreSet set = open(key);
        for (int attempt = 0; set.status().lastOperation() == null; attempt++) {
            if (!PollingWait.pause(attempt, deadline.nanoTime())) {
                throw new IpcTimeoutException("waiting for " + set.label() + " to be initialised (sem_otime is still 0:"
                        + " its creator has not run its first semop, or died before it)", timeout);
            }
        }
        return set;
    }

    /**
     * Opens a set by its id, as {@code ipcs -s} prints it or as its creator passed it.
     *
     * @throws IllegalArgumentException if {@code id} is negative
     */
    public static SysvSemaphoreSet ofId(int id) throws IOException {
        if (id < 0) {
            throw new IllegalArgumentException("semaphore set id " + id + " is negative");
        }
        ByteBuffer ds = statById(id, KIND + " id " + id);
        return new SysvSemaphoreSet(keyOf(ds), id, (int) ds.getLong(SEM_NSEMS));
    }

    /**
     * Removes the set with {@code key} if there is one; its waiters wake with {@code EIDRM}.
     *
     * @return whether a set was removed
     */
    public static boolean removeIfExists(SysvKey key) throws IOException {
        try (SysvSemaphoreSet set = open(key)) {
            set.remove();
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** How many semaphores the set holds. */
    public int size() {
        return count;
    }

    /**
     * Runs {@code operations} atomically, waiting as long as it takes ({@code semop}).
     *
     * @throws IllegalArgumentException if there are none, or one names an index outside the set
     * @throws IOException              if a value would pass 32767 ({@code ERANGE}), or the set is removed meanwhile
     */
    public void operate(SemaphoreOperation... operations) throws IOException {
        operate(FOREVER, operations);
    }

    /** Runs {@code operations} atomically if that needs no wait ({@code IPC_NOWAIT}). @return false if it would */
    public boolean tryOperate(SemaphoreOperation... operations) throws IOException {
        return operate(0, operations);
    }

    /**
     * Runs {@code operations} atomically, waiting at most {@code timeout} ({@code semtimedop}).
     *
     * @return false if they could not run before the deadline (then none ran)
     */
    public boolean operate(Duration timeout, SemaphoreOperation... operations) throws IOException {
        return operate(Deadline.check(timeout).toNanos(), operations);
    }

    /** Semaphore {@code index}'s value ({@code GETVAL}). */
    public int value(int index) throws IOException {
        return control("semctl(GETVAL)", checkIndex(index), GETVAL, 0);
    }

    /** Every value, in index order ({@code GETALL}). */
    public int[] values() throws IOException {
        checkStillTheSameSet();
        SysvScratch scratch = SysvScratch.forThisThread();
        ByteBuffer array = scratch.array(count * Short.BYTES);
        control("semctl(GETALL)", 0, GETALL, scratch.arrayAddress());
        int[] values = new int[count];
        for (int i = 0; i < count; i++) {
            values[i] = Short.toUnsignedInt(array.getShort(i * Short.BYTES));
        }
        return values;
    }

    /**
     * Sets semaphore {@code index} to {@code value} ({@code SETVAL}), waking waiters that can now proceed and
     * clearing every process's undo record for it.
     */
    public void setValue(int index, int value) throws IOException {
        control("semctl(SETVAL)", checkIndex(index), SETVAL, checkValue(value));
    }

    /** Sets every value ({@code SETALL}); {@code values} has one per semaphore. */
    public void setValues(int... values) throws IOException {
        Objects.requireNonNull(values, "values");
        if (values.length != count) {
            throw new IllegalArgumentException(values.length + " values given for a set of " + count);
        }
        for (int value : values) {
            checkValue(value);
        }
        checkStillTheSameSet();
        SysvScratch scratch = SysvScratch.forThisThread();
        ByteBuffer array = scratch.array(count * Short.BYTES);
        for (int i = 0; i < count; i++) {
            array.putShort(i * Short.BYTES, (short) values[i]);
        }
        control("semctl(SETALL)", 0, SETALL, scratch.arrayAddress());
    }

    /** How many processes wait for semaphore {@code index} to increase ({@code GETNCNT}). */
    public int waitingForIncrease(int index) throws IOException {
        return control("semctl(GETNCNT)", checkIndex(index), GETNCNT, 0);
    }

    /** How many processes wait for semaphore {@code index} to become zero ({@code GETZCNT}). */
    public int waitingForZero(int index) throws IOException {
        return control("semctl(GETZCNT)", checkIndex(index), GETZCNT, 0);
    }

    /** The process that last operated on semaphore {@code index} ({@code GETPID}), 0 if none. */
    public int lastPid(int index) throws IOException {
        return control("semctl(GETPID)", checkIndex(index), GETPID, 0);
    }

    /** The set's state ({@code IPC_STAT}). */
    public SemaphoreSetStatus status() throws IOException {
        ByteBuffer ds = stat();
        return new SemaphoreSetStatus(keyOf(ds), permissionsOf(ds), (int) ds.getLong(SEM_NSEMS),
                timeOf(ds, SEM_OTIME), timeOf(ds, SEM_CTIME));
    }

    @Override
    int control(int command, long address) {
        return SYSV.semctl(id(), 0, command, address);
    }

    @Override
    String controlName() {
        return "semctl";
    }

    private int control(String call, int index, int command, long argument) throws IOException {
        ensureOpen();
        int result = SYSV.semctl(id(), index, command, argument);
        if (result == -1) {
            throw failure(call, Native.errno());
        }
        return result;
    }

    /** One semop; {@code timeoutNanos} is {@link #FOREVER}, 0 (try once) or how long to wait. */
    private boolean operate(long timeoutNanos, SemaphoreOperation... operations) throws IOException {
        Objects.requireNonNull(operations, "operations");
        if (operations.length == 0) {
            throw new IllegalArgumentException("no semaphore operation given");
        }
        for (SemaphoreOperation operation : operations) {
            Objects.requireNonNull(operation, "operation");
            if (operation.index() >= count) {
                throw new IllegalArgumentException(operation + " names an index outside " + label() + " (0.."
                        + (count - 1) + ")");
            }
        }
        ensureOpen();
        SysvScratch scratch = SysvScratch.forThisThread();
        ByteBuffer array = scratch.array(operations.length * SEMBUF_BYTES);
        int wait = timeoutNanos == 0 ? IPC_NOWAIT : 0;
        for (int i = 0; i < operations.length; i++) {
            SemaphoreOperation operation = operations[i];
            int at = i * SEMBUF_BYTES;
            array.putShort(at + SEMBUF_NUM, (short) operation.index())
                    .putShort(at + SEMBUF_OP, (short) operation.delta())
                    .putShort(at + SEMBUF_FLG, (short) (wait | (operation.undo() ? SEM_UNDO : 0)));
        }
        long address = scratch.arrayAddress();
        long deadline = System.nanoTime() + Math.max(timeoutNanos, 0);
        while (true) {
            long timeout = timeoutNanos > 0 ? scratch.timespec(Math.max(0, deadline - System.nanoTime())) : 0;
            if (SYSV.semtimedop(id(), address, operations.length, timeout) == 0) {
                return true;
            }
            int errno = Native.errno();
            if (errno == Errors.EINTR) {
                continue;
            }
            if (errno == Errors.EAGAIN && timeoutNanos >= 0) {
                return false;
            }
            throw errno == Errors.ERANGE ? Errors.of("semop", label(), errno, "a value would pass " + SemaphoreOperation.MAX_VALUE
                    + ", or an undo record pass its limit")
                    : errno == Errors.E2BIG ? Errors.of("semop", label(), errno, operations.length
                    + " operations are more than kernel.sem field 3 (SEMOPM) allows in one call")
                    : failure("semop", errno);
        }
    }

    /**
     * Checks that the set behind this id still has {@link #size()} semaphores before a call that copies one value
     * per semaphore: a set removed and its id reused by a larger one would make the kernel copy past the buffer.
     */
    private void checkStillTheSameSet() throws IOException {
        long now = stat().getLong(SEM_NSEMS);
        if (now != count) {
            throw new IOException(label() + " now has " + now + " semaphores, not " + count
                    + ": it was removed and its id reused by another set");
        }
    }

    private int checkIndex(int index) {
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException("semaphore index " + index + " is outside " + label() + " (0.."
                    + (count - 1) + ")");
        }
        return index;
    }

    private static int checkValue(int value) {
        if (value < 0 || value > SemaphoreOperation.MAX_VALUE) {
            throw new IllegalArgumentException("semaphore value " + value + " is outside 0.." + SemaphoreOperation.MAX_VALUE);
        }
        return value;
    }

    private static int countOf(int id, String label) throws IOException {
        return (int) statById(id, label).getLong(SEM_NSEMS);
    }

    private static ByteBuffer statById(int id, String label) throws IOException {
        return statById("semctl", (semid, command, address) -> SYSV.semctl(semid, 0, command, address), id, KIND, label);
    }
}
