package io.github.ipcatlas.comparison;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.github.ipcatlas.core.ChildJvm;

/**
 * The distribution archive as a user installs it: unpacked into a directory of their choosing, its launcher run from
 * somewhere else, directly and through a symbolic link, with the JDK found through {@code JAVA_HOME}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DistributionIT {
    private static final long DEADLINE_SECONDS = 90;

    @TempDir
    Path dir;

    private Path home;

    @BeforeEach
    void unpack() throws IOException, InterruptedException {
        Path archive;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            archive = files.filter(f -> f.getFileName().toString().matches("ipc-atlas-.*\\.tar\\.gz")).findFirst()
                    .orElseThrow(() -> new AssertionError("no ipc-atlas-VERSION.tar.gz in target: package first"));
        }
        Result untar = run(dir, List.of("tar", "xzpf", archive.toAbsolutePath().toString())); // the archive's own modes
        assertThat(untar.exitCode).as(untar.output).isZero();
        try (Stream<Path> unpacked = Files.list(dir)) {
            home = unpacked.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        assertThat(home.getFileName().toString()).matches("ipc-atlas-\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void shouldHoldTheLauncherTheJarsTheCompletionTheManPagesAndTheLicences() throws IOException {
        assertThat(Files.getPosixFilePermissions(home.resolve("bin/ipc-atlas"))).contains(PosixFilePermission.OWNER_EXECUTE);
        List<String> jars;
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            jars = lib.map(jar -> jar.getFileName().toString()).toList();
        }
        assertThat(jars).as("the command's jar and each library as its own, replaceable jar")
                .anyMatch(jar -> jar.matches("comparison-.*\\.jar")).anyMatch(jar -> jar.matches("ipc-shm-.*\\.jar"))
                .anyMatch(jar -> jar.matches("jfreechart-.*\\.jar")).anyMatch(jar -> jar.matches("jnr-ffi-.*\\.jar"))
                .allMatch(jar -> jar.endsWith(".jar"));
        assertThat(home.resolve("LICENSE")).content().contains("Apache License");
        String thirdParty = Files.readString(home.resolve("THIRD-PARTY.txt"));
        for (String jar : jars) { // every library shipped is listed with its licence; the project's own jars are not
            String artifact = jar.replaceFirst("-\\d.*", "");
            if (!artifact.equals("comparison") && !artifact.startsWith("ipc-") && !artifact.equals("threads-sync")) {
                assertThat(thirdParty).as(jar).contains(":" + artifact + ":");
            }
        }
        assertThat(thirdParty).contains("org.jfree:jfreechart:").contains("GNU Lesser General Public Licence");
        for (String text : List.of("Apache-2.0.txt", "LGPL-2.1.txt", "ASM-BSD-3-Clause.txt", "jnr-x86asm-MIT.txt",
                "HdrHistogram-BSD-2-Clause-CC0.txt")) { // every licence text THIRD-PARTY.txt points to is there
            assertThat(thirdParty).contains(text);
            assertThat(home.resolve("licenses").resolve(text)).isNotEmptyFile();
        }
        try (Stream<Path> all = Files.walk(home)) { // readable by every user, whatever the umask of the build
            for (Path path : all.toList()) {
                assertThat(Files.getPosixFilePermissions(path)).as(path.toString())
                        .contains(PosixFilePermission.OTHERS_READ);
            }
        }
        assertThat(home.resolve("completion/ipc-atlas.bash")).content().contains("complete -F").contains("bench")
                .contains("doctor");
        assertThat(home.resolve("man/man1/ipc-atlas.1")).content().startsWith(".TH \"IPC-ATLAS\" \"1\"");
        assertThat(home.resolve("man/man1/ipc-atlas-bench.1")).isRegularFile();
    }

    @Test
    void shouldRunVersionDoctorAndADemoFromAnotherDirectoryAndThroughASymbolicLink() throws Exception {
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Path link = Files.createSymbolicLink(Files.createDirectory(dir.resolve("my-bin")).resolve("ipc-atlas"),
                home.resolve("bin/ipc-atlas"));
        for (Path launcher : List.of(home.resolve("bin/ipc-atlas"), link)) {
            Result version = run(elsewhere, List.of(launcher.toString(), "--version"));
            assertThat(version.exitCode).as(version.output).isZero();
            assertThat(version.output).startsWith("ipc-atlas ").contains("(commit ");

            Result doctor = run(elsewhere, List.of(launcher.toString(), "doctor"));
            assertThat(doctor.exitCode).as(doctor.output).isIn(0, 1); // 1: a capability this machine lacks, said
            assertThat(doctor.output).contains("native access").contains("kernel: Linux");

            Result demo = run(elsewhere, List.of(launcher.toString(), "demo", "pipe"));
            assertThat(demo.exitCode).as(demo.output).isZero();
            assertThat(demo.output.strip()).isEqualTo("Hello from the parent process");
        }
    }

    @Test
    void shouldNameAJavaHomeWithoutJava() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/ipc-atlas").toString(), "--version")
                .directory(dir.toFile());
        builder.environment().put("JAVA_HOME", dir.resolve("no-jdk-here").toString());
        Result result = finish(builder);
        assertThat(result.exitCode).isEqualTo(2);
        assertThat(result.output).contains("JAVA_HOME is " + dir.resolve("no-jdk-here")).contains("no bin/java");
    }

    @Test
    void shouldSayHowToFixAMissingJava() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/ipc-atlas").toString(), "--version")
                .directory(dir.toFile());
        builder.environment().remove("JAVA_HOME");
        builder.environment().put("PATH", "/nonexistent");
        Result result = finish(builder);
        assertThat(result.exitCode).isEqualTo(2);
        assertThat(result.output).contains("no java found").contains("JAVA_HOME");
    }

    private record Result(int exitCode, String output) {
    }

    /** Runs {@code command} in {@code directory} with {@code JAVA_HOME} naming the JDK running this test. */
    private static Result run(Path directory, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(directory.toFile());
        builder.environment().put("JAVA_HOME", ChildJvm.javaExecutable().getParent().getParent().toString());
        builder.environment().put("JAVA_OPTS", "-XX:TieredStopAtLevel=1");
        return finish(builder);
    }

    private static Result finish(ProcessBuilder builder) throws IOException, InterruptedException {
        Path output = Files.createTempFile("ipc-atlas-dist", ".out");
        try {
            Process process = builder.redirectErrorStream(true).redirectOutput(output.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(builder.command() + " still running after " + DEADLINE_SECONDS + " s");
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.delete(output);
        }
    }
}
