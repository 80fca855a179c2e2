package io.github.ipcatlas.mqueue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** {@link Codec#serializable}: Java serialization behind an allow-list and per-message limits. Thread-safe. */
final class SerializableCodec<T extends Serializable> implements Codec<T> {
    private final Class<T> type;
    private final Set<String> allowed;

    SerializableCodec(Class<T> type, Set<Class<?>> allowed) {
        this.type = Objects.requireNonNull(type, "type");
        // an entry X[] (any dimension) stands for X: the elements of an X[] are X objects, decoded as such.
        // String is always allowed: a string is decoded without a class descriptor or any class's code, and so,
        // once its length is bounded, is an array of them.
        this.allowed = Stream.concat(Stream.of(type, String.class), Objects.requireNonNull(allowed, "allowed").stream())
                .map(c -> SerialFilter.elementType(Objects.requireNonNull(c, "allowed class")).getName())
                .collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public byte[] encode(T value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectOutputStream objects = new ObjectOutputStream(out)) {
            objects.writeObject(value);
        }
        return out.toByteArray();
    }

    @Override
    public T decode(ByteBuffer bytes) throws IOException {
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        SerialFilter filter = new SerialFilter(allowed, copy.length);
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(copy))) {
            in.setObjectInputFilter(filter);
            return type.cast(in.readObject());
        } catch (InvalidClassException refused) {
            throw filter.refusal() == null ? refused
                    : new InvalidClassException("refused by the " + filter.refusal());
        } catch (ClassNotFoundException | ClassCastException e) {
            throw new IOException("message is not a " + type.getName() + ": " + e.getMessage(), e);
        } catch (RuntimeException malformed) {
            // JDK 17's ObjectInputStream lets some malformed streams out as NegativeArraySizeException,
            // NullPointerException or IllegalStateException: a hostile message is an IOException, whatever it breaks
            throw new java.io.StreamCorruptedException("malformed serialized message of " + copy.length + " bytes: "
                    + malformed);
        }
    }
}
