package io.github.ipcatlas.mqueue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The Java twin of Python's {@code multiprocessing.Queue}: objects put in one process come out, in order, in
 * another — over a POSIX message queue, one message per object, encoded by a {@link Codec}.
 *
 * <pre>{@code
 * child:   try (var q = ObjectQueue.open("/greetings", Codec.utf8())) { q.put("Hello from the child process"); }
 * parent:  System.out.println(q.get());
 * }</pre>
 *
 * <p>An object that encodes to more than the queue's {@code maxMessageSize} is refused with a message naming both
 * sizes (it is not split: a reader would then need to reassemble pieces that other writers could interleave).
 * Priorities are available through {@link #put(Object, int)}.
 *
 * <p><b>Thread-safety.</b> Safe for concurrent use if the codec is (the provided ones are). Each call allocates the
 * encoded bytes and the decoded object; use {@link MessageQueue} directly for allocation-free messaging.
 *
 * @param <T> the object type
 */
public final class ObjectQueue<T> implements AutoCloseable {
    private final MessageQueue queue;
    private final Codec<T> codec;
    private final ThreadLocal<ByteBuffer> receiveBuffer;

    /** Wraps {@code queue}; closing this closes it. */
    public ObjectQueue(MessageQueue queue, Codec<T> codec) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.receiveBuffer = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect((int) queue.maxMessageSize()));
    }

    /** Opens an existing queue read-write. */
    public static <T> ObjectQueue<T> open(String name, Codec<T> codec) throws IOException {
        return new ObjectQueue<>(MessageQueue.open(name, Access.READ_WRITE), codec);
    }

    /** The underlying queue. */
    public MessageQueue queue() {
        return queue;
    }

    /** Puts {@code value} with priority 0, waiting while the queue is full. */
    public void put(T value) throws IOException {
        put(value, 0);
    }

    /** Puts {@code value} with {@code priority}, waiting while the queue is full. */
    public void put(T value, int priority) throws IOException {
        queue.send(encode(value), priority);
    }

    /**
     * Puts {@code value} if room appears within {@code timeout}.
     *
     * @return false on timeout
     */
    public boolean put(T value, Duration timeout) throws IOException {
        return queue.send(encode(value), 0, timeout);
    }

    /** Takes the next object, waiting while the queue is empty. */
    public T get() throws IOException {
        ByteBuffer buffer = receiveBuffer.get().clear();
        queue.receive(buffer);
        return codec.decode(buffer.flip());
    }

    /**
     * Takes the next object, waiting at most {@code timeout}.
     *
     * @return empty on timeout
     */
    public Optional<T> get(Duration timeout) throws IOException {
        ByteBuffer buffer = receiveBuffer.get().clear();
        if (queue.receive(buffer, timeout) < 0) {
            return Optional.empty();
        }
        return Optional.of(codec.decode(buffer.flip()));
    }

    /** Closes the queue descriptor (not the name). */
    @Override
    public void close() {
        queue.close();
    }

    private ByteBuffer encode(T value) throws IOException {
        byte[] bytes = codec.encode(Objects.requireNonNull(value, "value"));
        if (bytes.length > queue.maxMessageSize()) {
            throw new IllegalArgumentException(value.getClass().getSimpleName() + " encodes to " + bytes.length
                    + " bytes; queue " + queue.name() + " carries at most " + queue.maxMessageSize()
                    + " bytes per message (create it with a larger maxMessageSize, up to fs.mqueue.msgsize_max)");
        }
        return ByteBuffer.wrap(bytes);
    }
}
