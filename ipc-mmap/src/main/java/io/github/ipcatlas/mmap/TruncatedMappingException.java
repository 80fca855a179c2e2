package io.github.ipcatlas.mmap;

/**
 * An access to a mapping failed because the file is now shorter than the mapped region: another process truncated
 * it. The kernel answers such an access with {@code SIGBUS}, which the JVM turns into an {@link InternalError}; this
 * exception says what happened instead.
 */
public final class TruncatedMappingException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public TruncatedMappingException(String message, Throwable cause) {
        super(message, cause);
    }
}
