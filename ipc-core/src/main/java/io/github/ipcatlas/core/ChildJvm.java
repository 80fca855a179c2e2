package io.github.ipcatlas.core;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Starts a main class in a new JVM: the same JDK and class path as this one, with given arguments, system
 * properties and JVM options, optionally inheriting some of our descriptors. The result is a
 * {@link ChildProcess}: {@code pid()}, handshake by a printed line, {@code awaitExit(timeout)}, captured stderr,
 * and {@code close()} = SIGTERM, then SIGKILL after a grace period.
 *
 * <pre>{@code
 * try (ChildProcess peer = ChildJvm.builder(EchoPeer.class).args("/tmp/x").quickStart().start()) {
 *     peer.awaitLine("ready", Duration.ofSeconds(10));
 *     ...
 *     assertThat(peer.awaitExit(Duration.ofSeconds(10))).isZero();
 * }
 * }</pre>
 *
 * <p>Every child JVM gets {@code --enable-native-access=ALL-UNNAMED} (JDK 17 accepts it too), so no native-access
 * warning reaches users on newer JDKs. Not thread-safe; build one child per builder.
 */
public final class ChildJvm {
    /** Options that let a short-lived JVM start in about 40 ms; never for a benchmark peer, which needs the JIT. */
    public static final List<String> QUICK_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xshare:auto");

    private ChildJvm() {
    }

    /** A builder for a child JVM running {@code mainClass}. */
    public static Builder builder(Class<?> mainClass) {
        return new Builder(mainClass.getName());
    }

    /** A builder for a child JVM running the class named {@code mainClassName}. */
    public static Builder builder(String mainClassName) {
        return new Builder(mainClassName);
    }

    /** The {@code java} launcher of the running JDK. */
    public static Path javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** Describes the JVM to start. */
    public static final class Builder {
        private final String mainClass;
        private final List<String> jvmOptions = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private final List<String> launcher = new ArrayList<>();
        private final java.util.Map<String, String> environment = new java.util.LinkedHashMap<>();
        private final List<FdAssignment> inherited = new ArrayList<>();
        private int[] blockedSignals = new int[0];

        private Builder(String mainClass) {
            if (mainClass == null || mainClass.isBlank()) {
                throw new IllegalArgumentException("main class name \"" + mainClass + "\" is empty");
            }
            this.mainClass = mainClass;
        }

        /** Program arguments for the main method. */
        public Builder args(String... values) {
            for (String value : values) {
                args.add(Objects.requireNonNull(value, "argument"));
            }
            return this;
        }

        /** A {@code -Dkey=value} system property. */
        public Builder systemProperty(String key, String value) {
            if (key == null || key.isEmpty() || key.contains("=")) {
                throw new IllegalArgumentException("system property name \"" + key + "\" is empty or contains '='");
            }
            jvmOptions.add("-D" + key + "=" + Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Options for the JVM itself, such as {@code -Xmx64m}. */
        public Builder jvmOptions(String... options) {
            for (String option : options) {
                jvmOptions.add(Objects.requireNonNull(option, "option"));
            }
            return this;
        }

        /**
         * Starts the JVM through {@code program}, which is given the JVM's command line after its own arguments: for
         * example {@code unshare --net --}, to run the JVM in a network namespace of its own. The program must
         * {@code exec} the JVM, so that the child's pid is the JVM's. When {@link #start()} returns, the program may not
         * have run yet: code that acts on what it makes (the namespace in {@code /proc/PID/ns/net}, say) waits for it.
         */
        public Builder launcher(String... program) {
            for (String word : program) {
                launcher.add(Objects.requireNonNull(word, "launcher word"));
            }
            return this;
        }

        /**
         * Sets an environment variable of the child: the place for a secret the child needs, since its environment,
         * unlike its command line, only its owner can read ({@code /proc/PID/environ} is mode 0400).
         */
        public Builder environment(String key, String value) {
            environment.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Adds {@link #QUICK_START}: for test peers, whose start-up matters more than their speed. */
        public Builder quickStart() {
            jvmOptions.addAll(QUICK_START);
            return this;
        }

        /** Hands {@code channel} to the child as descriptor {@code childFd}; see {@link ChildProcessBuilder#inheritFd}. */
        public Builder inheritFd(FdChannel channel, int childFd) {
            inherited.add(new FdAssignment(Objects.requireNonNull(channel, "channel"), childFd));
            return this;
        }

        /** Starts the JVM with {@code signals} blocked in all its threads; see {@link ChildProcessBuilder#blockSignals}. */
        public Builder blockSignals(int... signals) {
            blockedSignals = ChildProcessBuilder.checkSignals(signals);
            return this;
        }

        /** The command line that {@link #start()} runs. */
        public List<String> command() {
            List<String> command = new ArrayList<>(launcher);
            command.add(javaExecutable().toString());
            command.add("--enable-native-access=ALL-UNNAMED");
            command.addAll(jvmOptions);
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(mainClass);
            command.addAll(args);
            return command;
        }

        /** Starts the JVM. */
        public ChildProcess start() throws IOException {
            ChildProcessBuilder builder = ChildProcess.builder(command())
                    .name(mainClass.substring(mainClass.lastIndexOf('.') + 1)).blockSignals(blockedSignals);
            environment.forEach(builder::environment);
            for (FdAssignment assignment : inherited) {
                builder.inheritFd(assignment.channel(), assignment.childFd());
            }
            return builder.start();
        }

        private record FdAssignment(FdChannel channel, int childFd) {
        }
    }
}
