package io.github.ipcatlas.threads;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A shared counter, the seed's {@code shared_data += 1}, in each of the ways Java offers. All but
 * {@link #unsynchronized()} are safe for any number of threads.
 *
 * <p><b>Atomicity and visibility are two problems.</b> {@code count++} is three steps (read, add, write); two
 * threads that both read 5 both write 6, and an increment is lost — an atomicity failure, which {@code volatile}
 * does not fix. Separately, without a happens-before edge (a lock released and acquired, a volatile write read, a
 * thread started or joined) a thread may never see another thread's write at all — a visibility failure.
 * Every safe counter here fixes both: its increment is atomic, and {@link #get()} sees every increment that
 * happened-before it.
 */
public interface Counter {
    /** Adds one. */
    void increment();

    /** The current count. */
    long get();

    /** {@code count++} on a plain field: loses updates under contention, and makes no visibility promise. */
    static Counter unsynchronized() {
        return new Counter() {
            private long count;

            @Override
            public void increment() {
                count++;
            }

            @Override
            public long get() {
                return count;
            }
        };
    }

    /** The monitor: {@code synchronized} increment and read. */
    static Counter synchronizedCounter() {
        return new Counter() {
            private long count; // guarded by this

            @Override
            public synchronized void increment() {
                count++;
            }

            @Override
            public synchronized long get() {
                return count;
            }
        };
    }

    /** {@link AtomicLong}: a lock-free compare-and-set loop in one instruction ({@code lock xadd} on x86). */
    static Counter atomic() {
        AtomicLong count = new AtomicLong();
        return new Counter() {
            @Override
            public void increment() {
                count.incrementAndGet();
            }

            @Override
            public long get() {
                return count.get();
            }
        };
    }

    /**
     * {@link LongAdder}: per-thread cells summed on read. Fastest under heavy contention; {@link #get()} is not an
     * atomic snapshot while increments are running.
     */
    static Counter longAdder() {
        LongAdder count = new LongAdder();
        return new Counter() {
            @Override
            public void increment() {
                count.increment();
            }

            @Override
            public long get() {
                return count.sum();
            }
        };
    }

    /** An explicit {@link ReentrantLock}: what {@code synchronized} does, with tryLock, timeouts and fairness on offer. */
    static Counter locked() {
        ReentrantLock lock = new ReentrantLock();
        return new Counter() {
            private long count; // guarded by lock

            @Override
            public void increment() {
                lock.lock();
                try {
                    count++;
                } finally {
                    lock.unlock();
                }
            }

            @Override
            public long get() {
                lock.lock();
                try {
                    return count;
                } finally {
                    lock.unlock();
                }
            }
        };
    }

    /**
     * A {@link VarHandle} on a plain field: {@code getAndAdd} is atomic with volatile memory effects, and
     * {@code getAcquire} reads with the weaker acquire ordering, enough to see every increment that happened-before.
     */
    static Counter varHandle() {
        return new VarHandleCounter();
    }

    /** The {@link #varHandle()} counter. */
    final class VarHandleCounter implements Counter {
        private static final VarHandle COUNT;

        static {
            try {
                COUNT = MethodHandles.lookup().findVarHandle(VarHandleCounter.class, "count", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        @SuppressWarnings("unused") // accessed through COUNT
        private long count;

        private VarHandleCounter() {
        }

        @Override
        public void increment() {
            COUNT.getAndAdd(this, 1L);
        }

        @Override
        public long get() {
            return (long) COUNT.getAcquire(this);
        }
    }
}
