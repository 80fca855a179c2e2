package io.github.ipcatlas.core;

/**
 * Thrown when a native library or one of its functions cannot be used on this machine. The message says what was
 * tried (library, functions, platform) and why it failed, once, instead of a stack of {@link UnsatisfiedLinkError}s.
 */
public final class NativeUnavailableException extends UnsupportedOperationException {
    private static final long serialVersionUID = 1L;

    public NativeUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
