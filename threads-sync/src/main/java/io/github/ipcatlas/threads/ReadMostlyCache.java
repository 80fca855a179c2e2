package io.github.ipcatlas.threads;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * A map read by many threads at once and written rarely, guarded by a {@link ReentrantReadWriteLock}: any number of
 * readers share the read lock, a writer waits for them to leave and excludes everyone. Worth it only when reads
 * dominate and hold the lock for a while; for short critical sections a plain lock (or
 * {@link java.util.concurrent.ConcurrentHashMap}) is as fast.
 *
 * <p><b>Thread-safety and memory effects.</b> Safe for any number of threads; a write's effects are visible to every
 * read that acquires the read lock after the write lock was released.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class ReadMostlyCache<K, V> {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<K, V> entries = new HashMap<>(); // guarded by lock

    /** The value for {@code key}, if present (read lock). */
    public Optional<V> get(K key) {
        lock.readLock().lock();
        try {
            return Optional.ofNullable(entries.get(key));
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The value for {@code key}, computing and storing it under the write lock if absent. The read lock cannot be
     * upgraded to the write lock (that would deadlock two upgrading readers), so the miss path releases it, takes
     * the write lock and checks again.
     */
    public V computeIfAbsent(K key, Function<? super K, ? extends V> compute) {
        Objects.requireNonNull(compute, "compute");
        Optional<V> cached = get(key);
        if (cached.isPresent()) {
            return cached.get();
        }
        lock.writeLock().lock();
        try {
            return entries.computeIfAbsent(key, compute);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Entries held. */
    public int size() {
        lock.readLock().lock();
        try {
            return entries.size();
        } finally {
            lock.readLock().unlock();
        }
    }
}
