package io.github.ipcatlas.core.cli;

import java.time.Duration;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The conventions of every {@code ipc-atlas} command, in one place: results on stdout, diagnostics on stderr as
 * one line (no stack trace), exit code 0 on success, 1 when the operation failed (timeout, missing object, errno),
 * 2 on a usage error (including a bad value that our own validation rejects).
 */
public final class CommandLines {
    /** The operation failed. */
    public static final int FAILED = 1;
    /** The command line was wrong. */
    public static final int USAGE = 2;

    private CommandLines() {
    }

    /** Applies the conventions to {@code commandLine}. */
    public static CommandLine configure(CommandLine commandLine) {
        // "@NAME" is an abstract Unix socket name here, never picocli's argument file (which a file named NAME in
        // the working directory would otherwise turn it into)
        commandLine.setExpandAtFiles(false);
        commandLine.setExecutionExceptionHandler((exception, failed, parseResult) -> {
            failed.getErr().println(failed.getCommandSpec().qualifiedName() + ": " + describe(exception));
            failed.getErr().flush();
            return exception instanceof IllegalArgumentException ? USAGE : FAILED;
        });
        return commandLine;
    }

    /** Runs {@code command} with {@code args} under the conventions and returns the exit code. */
    public static int execute(Object command, String... args) {
        return configure(new CommandLine(command)).execute(args);
    }

    /** For a command's own {@code main}: runs it and exits with its code. */
    public static void main(Object command, String[] args) {
        System.exit(execute(command, args));
    }

    /**
     * A {@code --timeout MS} value as a {@link Duration}; {@code null} (option absent) means no limit.
     *
     * @throws CommandLine.ParameterException (exit code 2) if negative
     */
    public static Duration timeout(CommandSpec spec, Long millis) {
        if (millis == null) {
            return Duration.ofDays(365);
        }
        if (millis < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--timeout " + millis + " is negative; give milliseconds, 0 or more");
        }
        return Duration.ofMillis(millis);
    }

    private static String describe(Throwable exception) {
        String message = exception.getMessage();
        return message == null ? exception.getClass().getSimpleName() : message;
    }
}
