package io.github.ipcatlas.mqueue;

import java.io.ObjectInputFilter;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@link ObjectInputFilter} of {@link Codec#serializable} for one message of {@code messageBytes} bytes: an
 * allow-list of classes plus limits no larger than such a message can legitimately need, checked before
 * {@code ObjectInputStream} instantiates or allocates anything. It remembers why it refused, for the exception.
 *
 * <p>An array of {@code L} elements is refused when {@code L × elementBytes > messageBytes}, where elementBytes is
 * the size of a primitive element (1 to 8) and 1 for references (the smallest element, a null, takes one byte).
 * {@code ObjectInputStream} asks before it allocates an array, and so do {@code ArrayList}, {@code HashMap} and the
 * other JDK collections before sizing their internal arrays. Not thread-safe: one per decode.
 */
final class SerialFilter implements ObjectInputFilter {
    /** Deepest nesting of objects accepted. */
    static final int MAX_DEPTH = 20;
    /** Most objects (and back-references) accepted, if the message is larger than that. */
    static final int MAX_REFERENCES = 10_000;

    private final Set<String> allowed;
    private final long messageBytes;
    private String refusal;

    /**
     * @param allowed      names of the classes allowed, arrays already reduced to their element type
     * @param messageBytes the size of the message being decoded
     */
    SerialFilter(Set<String> allowed, long messageBytes) {
        this.allowed = allowed;
        this.messageBytes = messageBytes;
    }

    /** Why the first refusal happened, or null. */
    String refusal() {
        return refusal;
    }

    @Override
    public Status checkInput(FilterInfo info) {
        long maxReferences = Math.min(MAX_REFERENCES, messageBytes);
        if (info.depth() > MAX_DEPTH) {
            return refuse("depth limit: objects nested " + info.depth() + " deep, more than " + MAX_DEPTH);
        }
        if (info.references() > maxReferences) {
            return refuse("reference limit: more than " + maxReferences + " objects in a " + messageBytes
                    + "-byte message");
        }
        Class<?> type = info.serialClass();
        if (type == null) {
            return Status.UNDECIDED;
        }
        Class<?> element = elementType(type);
        if (type.isArray() && info.arrayLength() != -1) { // -1: not an array allocation; other negatives are hostile
            // asked before the array is allocated: refuse a length the message cannot back with elements
            long elementBytes = elementBytes(type.getComponentType());
            long maxLength = messageBytes / elementBytes;
            if (info.arrayLength() > maxLength || info.arrayLength() < 0) {
                return refuse("array length limit: " + element.getName() + "[" + info.arrayLength() + "]"
                        + "[]".repeat(dimensions(type) - 1) + " cannot be in a " + messageBytes + "-byte message"
                        + " (at most " + maxLength + " elements of " + elementBytes + (elementBytes > 1 ? " bytes)" : " byte)"));
            }
        }
        if (element.isPrimitive() || allowed.contains(element.getName())) {
            return Status.ALLOWED;
        }
        return refuse("allow-list (" + String.join(", ", new TreeSet<>(allowed)) + "): " + readable(type)
                + " is not allowed");
    }

    /** {@code X} for {@code X}, {@code X[]} and {@code X[][]}: what an allow-list entry stands for. */
    static Class<?> elementType(Class<?> type) {
        Class<?> element = type;
        while (element.isArray()) {
            element = element.getComponentType();
        }
        return element;
    }

    private Status refuse(String why) {
        if (refusal == null) {
            refusal = why;
        }
        return Status.REJECTED;
    }

    private static long elementBytes(Class<?> component) {
        if (component == long.class || component == double.class) {
            return 8;
        }
        if (component == int.class || component == float.class) {
            return 4;
        }
        if (component == char.class || component == short.class) {
            return 2;
        }
        return 1; // byte, boolean, and references: the smallest reference element is TC_NULL, one byte
    }

    private static int dimensions(Class<?> type) {
        int dimensions = 0;
        for (Class<?> c = type; c.isArray(); c = c.getComponentType()) {
            dimensions++;
        }
        return dimensions;
    }

    private static String readable(Class<?> type) {
        return type.isArray() ? "array " + elementType(type).getName() + "[]".repeat(dimensions(type))
                : "class " + type.getName();
    }
}
