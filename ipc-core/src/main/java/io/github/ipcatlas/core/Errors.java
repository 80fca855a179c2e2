package io.github.ipcatlas.core;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

import jnr.constants.platform.Errno;

/**
 * Maps an errno to an exception, in one place. The message names the call, the object and the errno symbol and
 * text: {@code mkfifo(/tmp/jobs) failed: EEXIST (File exists)}.
 *
 * <p>{@code ENOENT}, {@code EEXIST} and {@code EACCES}/{@code EPERM} become the JDK's {@link NoSuchFileException},
 * {@link FileAlreadyExistsException} and {@link AccessDeniedException} (their {@code getFile()} is the object),
 * so callers can catch what they already know; everything else becomes an {@link ErrnoException}.
 */
public final class Errors {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int ENXIO = 6;
    public static final int E2BIG = 7;
    public static final int EBADF = 9;
    public static final int ECHILD = 10;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int EMFILE = 24;
    public static final int ENOSPC = 28;
    public static final int EPIPE = 32;
    public static final int ERANGE = 34;
    public static final int ENOSYS = 38;
    public static final int ENOMSG = 42;
    public static final int EIDRM = 43;
    public static final int ETIMEDOUT = 110;

    private Errors() {
    }

    /** Builds the exception for a failed {@code call} on {@code object}. */
    public static IOException of(String call, String object, int errno) {
        return of(call, object, errno, null);
    }

    /**
     * Builds the exception for a failed {@code call} on {@code object}, with a {@code hint} (which limit was hit
     * and how to raise it, say) appended to the message when not null.
     */
    public static IOException of(String call, String object, int errno, String hint) {
        String message = message(call, object, errno) + (hint == null ? "" : "; " + hint);
        return switch (errno) {
            case ENOENT -> withCause(new NoSuchObject(object, message), call, object, errno, message);
            case EEXIST -> withCause(new ObjectExists(object, message), call, object, errno, message);
            case EACCES, EPERM -> withCause(new ObjectAccessDenied(object, message), call, object, errno, message);
            default -> new ErrnoException(call, object, errno, message);
        };
    }

    /** {@code call(object) failed: ENAME (text)}. */
    public static String message(String call, String object, int errno) {
        return call + "(" + object + ") failed: " + errnoName(errno) + " (" + errnoText(errno) + ")";
    }

    /** The symbolic name of an errno, e.g. {@code EEXIST}, or {@code errno N} when unknown. */
    public static String errnoName(int errno) {
        Errno known = Errno.valueOf(errno);
        return known == Errno.__UNKNOWN_CONSTANT__ ? "errno " + errno : known.name();
    }

    /** The text of an errno, e.g. {@code File exists}. */
    public static String errnoText(int errno) {
        Errno known = Errno.valueOf(errno);
        return known == Errno.__UNKNOWN_CONSTANT__ ? "unknown error" : known.description();
    }

    /** Keeps the errno reachable from the JDK types through their cause. */
    private static IOException withCause(IOException jdkType, String call, String object, int errno, String message) {
        jdkType.initCause(new ErrnoException(call, object, errno, message));
        return jdkType;
    }

    /** The errno behind an exception built here, or -1 when it did not come from a failed call. */
    public static int errnoOf(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof ErrnoException errnoException) {
                return errnoException.errno();
            }
        }
        return -1;
    }

    // The JDK types prefix their message with "file: "; ours already names the object, so the reason is the message.

    private static final class NoSuchObject extends NoSuchFileException {
        private static final long serialVersionUID = 1L;

        NoSuchObject(String object, String message) {
            super(object, null, message);
        }

        @Override
        public String getMessage() {
            return getReason();
        }
    }

    private static final class ObjectExists extends FileAlreadyExistsException {
        private static final long serialVersionUID = 1L;

        ObjectExists(String object, String message) {
            super(object, null, message);
        }

        @Override
        public String getMessage() {
            return getReason();
        }
    }

    private static final class ObjectAccessDenied extends AccessDeniedException {
        private static final long serialVersionUID = 1L;

        ObjectAccessDenied(String object, String message) {
            super(object, null, message);
        }

        @Override
        public String getMessage() {
            return getReason();
        }
    }
}
