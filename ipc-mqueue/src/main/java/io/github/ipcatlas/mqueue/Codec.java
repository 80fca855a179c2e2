package io.github.ipcatlas.mqueue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

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
     * {@code readObject} methods of whatever classes the bytes name — a known hole when the sender is not trusted.
     * The decoder accepts only {@code type} and the classes in {@code allowed} (records, {@code String}, boxed
     * primitives and arrays of them need listing too if they appear inside), with a bounded depth and size;
     * everything else is rejected before it is instantiated.
     *
     * @param type    the class of the objects sent
     * @param allowed the other classes their fields may hold
     */
    static <T extends Serializable> Codec<T> serializable(Class<T> type, Set<Class<?>> allowed) {
        Objects.requireNonNull(type, "type");
        String pattern = java.util.stream.Stream.concat(java.util.stream.Stream.of(type), allowed.stream())
                .map(Class::getName).collect(Collectors.joining(";", "maxdepth=20;maxrefs=10000;maxbytes=16777216;", ";!*"));
        ObjectInputFilter filter = ObjectInputFilter.Config.createFilter(pattern);
        return new Codec<>() {
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
                String[] rejected = new String[1];
                try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(copy))) {
                    in.setObjectInputFilter(info -> {
                        ObjectInputFilter.Status status = filter.checkInput(info);
                        if (status == ObjectInputFilter.Status.REJECTED) {
                            rejected[0] = info.serialClass() != null ? "class " + info.serialClass().getName()
                                    : "a stream beyond the depth, reference or size bounds";
                        }
                        return status;
                    });
                    return type.cast(in.readObject());
                } catch (InvalidClassException refused) {
                    throw new InvalidClassException("refused by the allow-list (" + pattern + "): "
                            + (rejected[0] != null ? rejected[0] + " is not allowed" : refused.getMessage()));
                } catch (ClassNotFoundException | ClassCastException e) {
                    throw new IOException("message is not a " + type.getName() + ": " + e.getMessage(), e);
                }
            }
        };
    }
}
