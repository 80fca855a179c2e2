package io.github.ipcatlas.mqueue;

import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Turns objects into message bytes and back, for {@link ObjectQueue}.
 *
 * @param <T> the object type
 */
public interface Codec<T> {
    /** The bytes of {@code value}. */
    byte[] encode(T value) throws IOException;

    /** The object {@code bytes} hold. */
    T decode(ByteBuffer bytes) throws IOException;

    /** Strings as UTF-8. */
    static Codec<String> utf8() {
        return new Codec<>() {
            @Override
            public byte[] encode(String value) {
                return value.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public String decode(ByteBuffer bytes) {
                return StandardCharsets.UTF_8.decode(bytes).toString();
            }
        };
    }

    /** Byte arrays as they are. */
    static Codec<byte[]> bytes() {
        return new Codec<>() {
            @Override
            public byte[] encode(byte[] value) {
                return value.clone();
            }

            @Override
            public byte[] decode(ByteBuffer bytes) {
                byte[] out = new byte[bytes.remaining()];
                bytes.get(out);
                return out;
            }
        };
    }

    /**
     * Java serialization, guarded: deserialising bytes from another process runs constructors and
     * {@code readObject} methods of whatever classes the bytes name, and allocates whatever sizes they announce — a
     * known hole when the sender is not trusted. The decoder refuses, with an {@link java.io.InvalidClassException}
     * naming the class or the limit, before anything is instantiated or allocated:
     * <ul>
     *   <li>any class other than {@code type} and those in {@code allowed}, matched by name, exactly (subclasses
     *       are not included; every serializable class of an object's hierarchy needs listing: an {@code Integer}
     *       needs {@code Number} too, an enum needs {@code java.lang.Enum}). Strings and primitive values need no
     *       listing, nor do arrays of them;</li>
     *   <li>arrays by their element type: primitive arrays are always allowed; {@code X[]} (of any dimension) is
     *       allowed when {@code X} is, and listing {@code X[].class} means the same as listing {@code X} (the
     *       elements of an {@code X[]} are {@code X} objects, so it allows both). Collections check their internal
     *       array too: an {@code ArrayList} needs {@code Object} listed (for its {@code Object[]});</li>
     *   <li>in a message of N bytes: an array of more elements than N bytes can hold (N / 8 {@code long}s, N
     *       references), objects nested deeper than 20, or more than min(10,000, N) objects.</li>
     * </ul>
     *
     * @param type    the class of the objects sent
     * @param allowed the other classes their fields may hold
     */
    static <T extends Serializable> Codec<T> serializable(Class<T> type, Set<Class<?>> allowed) {
        return new SerializableCodec<>(type, allowed);
    }
}
