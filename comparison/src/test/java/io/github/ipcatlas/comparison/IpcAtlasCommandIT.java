package io.github.ipcatlas.comparison;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.github.ipcatlas.comparison.bench.Mechanisms;
import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;

/** The packaged {@code ipc-atlas.jar}, run the way users run it: {@code java -jar}. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IpcAtlasCommandIT {
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final Path JAR = Path.of("target", "ipc-atlas.jar").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void shouldPrintVersionAndHelp() throws IOException {
        ChildProcess.Outcome version = run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.stdout().get(0)).matches("ipc-atlas \\d+\\.\\d+\\.\\d+.*");
        assertThat(version.stdout().get(0)).as("the commit the jar was built from, as git names it")
                .contains("(commit " + headCommit());

        ChildProcess.Outcome help = run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(String.join("\n", help.stdout())).contains("bench").contains("demo").contains("doctor").contains("fifo")
                .contains("mq");
    }

    /** The checkout's commit, abbreviated as the build does; "unknown" where this is not a git checkout. */
    private static String headCommit() throws IOException {
        try (ChildProcess git = ChildProcess.builder("git", "rev-parse", "--short=12", "HEAD").start()) {
            ChildProcess.Outcome outcome = git.finish(DEADLINE);
            return outcome.exitCode() == 0 ? String.join("\n", outcome.stdout()).trim() : "unknown";
        }
    }

    @Test
    void shouldExitWith2WithoutACommandOrWithAnUnknownOne() throws IOException {
        assertThat(run().exitCode()).isEqualTo(2);
        ChildProcess.Outcome unknown = run("teleport");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("teleport");
    }

    @Test
    void shouldListAndRunTheDemos() throws IOException {
        ChildProcess.Outcome list = run("demo");
        assertThat(list.exitCode()).isZero();
        assertThat(list.stdout()).anyMatch(l -> l.startsWith("pipe ")).anyMatch(l -> l.startsWith("fifo "));

        String seeds = String.join("\n", run("demo", "--seed").stdout());
        assertThat(seeds).contains("        r, w = os.pipe()").contains("    q.put(\"Hello from the child process\")")
                .contains("        event.set()").contains("        print(f\"Consumed: {shared_data.pop()}\")")
                .contains("        print(shared_data)  # 10").contains("        print(q.get())  # Hello from the worker thread");

        assertThat(run("demo", "pipe").stdout()).containsExactly("Hello from the parent process");
        assertThat(run("demo", "fifo").stdout()).containsExactly("Hello from the writer process");
        assertThat(run("demo", "pipe-child").stdout()).containsExactly("child received: Hello from the parent process");

        assertThat(run("demo", "mqueue").stdout()).containsExactly("Hello from the child process");
        assertThat(run("demo", "mmap").stdout()).containsExactly("Hello through a shared mapping");
        assertThat(run("demo", "socket").stdout()).containsExactly("Hello from server");
        assertThat(run("demo", "signal").stdout()).anyMatch(l -> l.startsWith("parent: child exited with status 130"))
                .anyMatch(l -> l.startsWith("parent: child exited with status 143"));
        assertThat(run("demo", "shm-value").stdout()).containsExactly("42");
        assertThat(run("demo", "shm-array").stdout()).containsExactly("[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]");
        assertThat(run("demo", "thread-shared-variable").stdout()).containsExactly("10");
        assertThat(run("demo", "thread-lock").stdout()).containsExactly("10");
        assertThat(run("demo", "thread-event").stdout()).containsExactly("Worker waiting for event", "Worker received event");
        assertThat(run("demo", "thread-queue").stdout()).containsExactly("Hello from the worker thread");
        assertThat(run("demo", "thread-condition").stdout()).containsExactly("Consumed: 1");

        ChildProcess.Outcome unknown = run("demo", "smoke-signals");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("no demo named \"smoke-signals\"").contains("pipe");
    }

    @Test
    void shouldBenchPipeAndFifoAsCsvWithProgressOnStderr() throws IOException {
        ChildProcess.Outcome bench = run("bench", "--mechanisms", "pipe,fifo", "--sizes", "64,512", "--round-trips", "300",
                "--warmup", "200", "--format", "csv");

        assertThat(bench.exitCode()).as(bench.stderr()).isZero();
        assertThat(bench.stdout().get(0)).startsWith("mechanism,scope,size_bytes,round_trips,p50_ns,p90_ns,p99_ns,p999_ns,max_ns");
        assertThat(bench.stdout().subList(1, bench.stdout().size())).hasSize(4)
                .anyMatch(l -> l.startsWith("pipe,process,64,300,")).anyMatch(l -> l.startsWith("fifo,process,512,300,"));
        assertThat(bench.stderr()).contains("[1/4] pipe 64 B: p50").contains("[4/4] fifo 512 B");
    }

    @Test
    void shouldReportTheMedianOfRepeatedRunsWithTheirSpread() throws IOException {
        ChildProcess.Outcome bench = run("bench", "--mechanisms", "pipe", "--sizes", "64", "--round-trips", "300",
                "--warmup", "100", "--runs", "3", "--format", "csv");

        assertThat(bench.exitCode()).as(bench.stderr()).isZero();
        List<String> header = java.util.Arrays.asList(bench.stdout().get(0).split(","));
        assertThat(bench.stdout()).hasSize(2);
        String[] row = bench.stdout().get(1).split(",", -1);
        assertThat(row[header.indexOf("runs")]).isEqualTo("3");
        long p50 = Long.parseLong(row[header.indexOf("p50_ns")]);
        assertThat(Long.parseLong(row[header.indexOf("p50_min_ns")])).isLessThanOrEqualTo(p50);
        assertThat(Long.parseLong(row[header.indexOf("p50_max_ns")])).isGreaterThanOrEqualTo(p50);
        assertThat(bench.stderr()).contains("pipe 64 B, run 1 of 3").contains("pipe 64 B, run 3 of 3");

        ChildProcess.Outcome none = run("bench", "--mechanisms", "pipe", "--runs", "0");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.stderr()).contains("--runs 0 must be 1..99");
    }

    @Test
    void shouldSweepOfferedLoadsAndRefuseARateModeWithoutRates() throws IOException {
        Path chart = dir.resolve("rate.png");
        ChildProcess.Outcome bench = run("bench", "--mode", "rate", "--rate", "2000,5000", "--mechanisms", "pipe",
                "--sizes", "64", "--messages", "500", "--warmup", "100", "--format", "csv", "--chart", chart.toString());

        assertThat(bench.exitCode()).as(bench.stderr()).isZero();
        assertThat(bench.stdout().get(0)).startsWith("mechanism,scope,size_bytes,rate_per_s,achieved_per_s,p50_ns,"
                + "p90_ns,p99_ns,p999_ns,max_ns");
        assertThat(bench.stdout()).hasSize(3);
        assertThat(bench.stdout().get(1)).startsWith("pipe,process,64,2000.00,");
        assertThat(bench.stdout().get(2)).startsWith("pipe,process,64,5000.00,");
        assertThat(bench.stderr()).contains("[1/2] pipe 64 B at 2,000/s: achieved").contains("[2/2] pipe 64 B at 5,000/s");
        assertThat(Files.size(chart)).isPositive();

        ChildProcess.Outcome none = run("bench", "--mode", "rate", "--mechanisms", "pipe");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.stderr()).contains("--mode rate needs --rate");
    }

    @Test
    void shouldSetJavaAgainstTheSameCPingPongWithBaselineNative() throws IOException {
        ChildProcess.Outcome bench = run("bench", "--mechanisms", "pipe,mmap,shm-blocking,sysv-mq,sysv-shm,uds,tcp,udp,signal,signal-rt,thread-spin",
                "--sizes", "64",
                "--round-trips", "300",
                "--warmup", "100", "--baseline", "native", "--format", "csv", "-q");

        assertThat(bench.exitCode()).as(bench.stderr()).isZero();
        String[] header = bench.stdout().get(0).split(",");
        assertThat(bench.stdout().get(0)).contains(",peer_gc_count,cpu_ns_per_op,peer_cpu_ns_per_op,c_p50_ns,c_p99_ns,java_over_c_p50,c_cpu_ns_per_op,");
        int cP50 = java.util.Arrays.asList(header).indexOf("c_p50_ns");
        int ratio = java.util.Arrays.asList(header).indexOf("java_over_c_p50");
        int cCpu = java.util.Arrays.asList(header).indexOf("c_cpu_ns_per_op");
        for (String line : bench.stdout().subList(1, bench.stdout().size())) {
            String[] fields = line.split(",", -1);
            if (fields[0].equals("thread-spin")) {
                assertThat(fields[cP50]).as("no C twin for threads").isEmpty();
            } else {
                assertThat(Long.parseLong(fields[cP50])).as(line).isPositive();
                assertThat(Double.parseDouble(fields[ratio])).as(line).isPositive();
                assertThat(Double.parseDouble(fields[cCpu])).as(line).isPositive();
            }
        }
        assertThat(bench.stdout()).hasSize(12);
        assertThat(bench.stdout()).anyMatch(l -> l.startsWith("signal,process,0,"))
                .anyMatch(l -> l.startsWith("signal-rt,process,4,"));
    }

    @Test
    void shouldSetJavaAgainstACTwinWithASleepingThreadPerProcessWithBaselineNativeThreaded() throws IOException {
        ChildProcess.Outcome bench = run("bench", "--mechanisms", "pipe,eventfd,signal", "--sizes", "64",
                "--round-trips", "300", "--warmup", "100", "--baseline", "native-threaded", "--format", "csv", "-q");

        // pingpong.c exits 1, failing the run, unless the kernel counts two threads in each of its processes, and
        // NativeBaseline fails it unless pingpong.c said on stderr that it ran so
        assertThat(bench.exitCode()).as(bench.stderr()).isZero();
        List<String> header = java.util.Arrays.asList(bench.stdout().get(0).split(","));
        assertThat(bench.stdout()).hasSize(4);
        for (String line : bench.stdout().subList(1, bench.stdout().size())) {
            String[] fields = line.split(",", -1);
            assertThat(Long.parseLong(fields[header.indexOf("c_p50_ns")])).as(line).isPositive();
            assertThat(fields[header.indexOf("baseline")]).as(line).isEqualTo("native-threaded");
        }
    }

    @Test
    void shouldPinWithinTheCpusTasksetAllowsBothTheJavaSideAndTheCTwin() throws IOException {
        int[] allowed = io.github.ipcatlas.core.CpuAffinity.allowedCpus();
        String last = String.valueOf(allowed[allowed.length - 1]); // not CPU 0 wherever there are two
        List<String> command = new java.util.ArrayList<>(List.of("taskset", "-c", last,
                ChildJvm.javaExecutable().toString(), "-XX:TieredStopAtLevel=1", "-jar", JAR.toString(), "bench",
                "--mechanisms", "pipe", "--sizes", "64", "--round-trips", "200", "--warmup", "50", "--pin", "same",
                "--baseline", "native", "--format", "csv", "-q"));
        try (ChildProcess child = ChildProcess.builder(command).start()) {
            ChildProcess.Outcome bench = child.finish(DEADLINE);
            assertThat(bench.exitCode()).as("pinned to CPU " + last + ", inside the mask: " + bench.stderr()).isZero();
            assertThat(bench.stdout()).hasSize(2);
            assertThat(bench.stdout().get(1)).startsWith("pipe,process,64,").contains(",same:" + last + "/" + last + ",");
        }

        command.set(command.indexOf("same"), "split");
        try (ChildProcess child = ChildProcess.builder(command).start()) {
            ChildProcess.Outcome bench = child.finish(DEADLINE);
            assertThat(bench.exitCode()).isEqualTo(2);
            assertThat(bench.stderr()).contains("--pin split needs 2 CPUs; this process may use 1");
        }
    }

    @Test
    void shouldSetStreamsAgainstTheCTwinWithBaselineNative() throws IOException {
        ChildProcess.Outcome bench = run("bench", "--mode", "throughput", "--mechanisms", "pipe,shm,thread-queue",
                "--sizes", "64", "--messages", "3000", "--warmup", "100", "--baseline", "native", "--format", "csv", "-q");

        assertThat(bench.exitCode()).as(bench.stderr()).isZero();
        List<String> header = java.util.Arrays.asList(bench.stdout().get(0).split(","));
        assertThat(bench.stdout().get(0)).startsWith("mechanism,scope,size_bytes,messages,msgs_per_s,mb_per_s,")
                .contains(",cpu_ns_per_op,peer_cpu_ns_per_op,c_msgs_per_s,java_over_c_msgs_per_s,c_cpu_ns_per_op,");
        Map<String, String[]> rows = new java.util.HashMap<>();
        bench.stdout().subList(1, bench.stdout().size()).forEach(l -> rows.put(l.split(",")[0], l.split(",", -1)));
        assertThat(rows.keySet()).containsExactlyInAnyOrder("pipe", "shm", "thread-queue");
        assertThat(rows.get("pipe")[header.indexOf("messages")]).isEqualTo("3000");
        assertThat(rows.get("shm")[header.indexOf("messages")]).as("a ring streams at least its minimum")
                .isEqualTo("2000000");
        for (String id : List.of("pipe", "shm")) {
            assertThat(Double.parseDouble(rows.get(id)[header.indexOf("c_msgs_per_s")])).as(id).isPositive();
            assertThat(Double.parseDouble(rows.get(id)[header.indexOf("cpu_ns_per_op")])).as(id).isPositive();
            assertThat(Double.parseDouble(rows.get(id)[header.indexOf("peer_cpu_ns_per_op")])).as(id).isPositive();
        }
        assertThat(rows.get("thread-queue")[header.indexOf("c_msgs_per_s")]).as("threads have no C twin").isEmpty();
    }

    @Test
    void shouldRefuseABaselineOrAPinningItDoesNotKnow() throws IOException {
        ChildProcess.Outcome pin = run("bench", "--pin", "sideways");
        assertThat(pin.exitCode()).isEqualTo(2);
        assertThat(pin.stderr()).contains("--pin sideways is not one of: none, split, same");
        ChildProcess.Outcome unknown = run("bench", "--baseline", "python");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("--baseline python is not one of: none, native, native-threaded");
        ChildProcess.Outcome rate = run("bench", "--mode", "rate", "--rate", "1000", "--mechanisms", "pipe",
                "--baseline", "native-threaded");
        assertThat(rate.exitCode()).isEqualTo(2);
        assertThat(rate.stderr()).contains("--baseline applies to --mode latency and throughput");
    }

    @Test
    void shouldPinBothSidesWhenAsked() throws IOException {
        ChildProcess.Outcome bench = run("bench", "--pin", "--mechanisms", "pipe,thread-spin", "--sizes", "64", "--round-trips", "200",
                "--warmup", "50", "--format", "csv", "-q");

        assertThat(bench.exitCode()).as(bench.stderr()).isZero();
        assertThat(bench.stdout()).hasSize(3);
        int pinned = java.util.Arrays.asList(bench.stdout().get(0).split(",")).indexOf("pinned");
        int[] cpus = io.github.ipcatlas.core.CpuAffinity.allowedCpus();
        assertThat(bench.stdout().get(1).split(",")[pinned]).isEqualTo("split:" + cpus[0] + "/" + cpus[1]);
        ChildProcess.Outcome same = run("bench", "--pin", "same", "--mechanisms", "shm-blocking", "--sizes", "64",
                "--round-trips", "200", "--warmup", "50", "--baseline", "native", "--format", "csv", "-q");
        assertThat(same.exitCode()).as(same.stderr()).isZero();
        int samePinned = java.util.Arrays.asList(same.stdout().get(0).split(",")).indexOf("pinned");
        assertThat(same.stdout().get(1).split(",")[samePinned]).isEqualTo("same:" + cpus[0] + "/" + cpus[0]);
    }

    @Test
    void shouldBenchThroughputIntoAFile() throws IOException {
        Path out = dir.resolve("throughput.json");
        ChildProcess.Outcome bench = run("bench", "--mechanisms", "pipe", "--sizes", "4096", "--mode", "throughput",
                "--messages", "2000", "--format", "json", "--output", out.toString(), "--quiet");

        assertThat(bench.exitCode()).as(bench.stderr()).isZero();
        assertThat(bench.stdout()).isEmpty();
        assertThat(Files.readString(out)).contains("\"environment\"").contains("\"mechanism\": \"pipe\"")
                .contains("\"messages\": 2000");
        try (ChildProcess python = ChildProcess.builder("python3", "-c",
                "import json, sys; r = json.load(open(sys.argv[1])); print(r['throughput'][0]['sizeBytes'])",
                out.toString()).start()) {
            assertThat(python.nextLine(DEADLINE)).as("valid JSON: %s", python.stderr()).isEqualTo("4096");
        }
    }

    @Test
    void shouldDrawTheResultsAsAPngChart() throws IOException {
        Path chart = dir.resolve("latency.png");
        ChildProcess.Outcome bench = run("bench", "--mechanisms", "pipe,thread-spin", "--sizes", "64", "--round-trips", "200",
                "--warmup", "50", "--chart", chart.toString(), "-q");

        assertThat(bench.exitCode()).as(bench.stderr()).isZero();
        assertThat(bench.stderr()).contains("chart written to " + chart);
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(chart.toFile());
        assertThat(image.getWidth()).isEqualTo(1200);
        assertThat(image.getHeight()).isEqualTo(700);

        ChildProcess.Outcome notPng = run("bench", "--chart", dir.resolve("chart.svg").toString());
        assertThat(notPng.exitCode()).isEqualTo(2);
        assertThat(notPng.stderr()).contains("must name a .png file");
    }

    @Test
    void shouldRefuseBadBenchOptionsWithExitCode2() throws IOException {
        ChildProcess.Outcome unknown = run("bench", "--mechanisms", "pipe,telepathy");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("unknown mechanism \"telepathy\"");

        ChildProcess.Outcome size = run("bench", "--sizes", "0");
        assertThat(size.exitCode()).isEqualTo(2);
        assertThat(size.stderr()).contains("--sizes: 0 is outside");

        assertThat(run("bench", "--format", "xml").exitCode()).isEqualTo(2);
    }

    @Test
    void shouldCarryTextBetweenTheShellAndTheFifoCommands() throws IOException {
        Path fifo = dir.resolve("f");
        assertThat(run("fifo", "create", fifo.toString()).exitCode()).isZero();

        try (ChildProcess read = java(List.of("fifo", "read", fifo.toString(), "--timeout", "60000"));
             ChildProcess echo = ChildProcess.builder("sh", "-c", "echo 'from the shell' > \"$0\"", fifo.toString())
                     .start()) {
            assertThat(read.remainingLines(DEADLINE)).containsExactly("from the shell");
            assertThat(read.awaitExit(DEADLINE)).isZero();
            assertThat(echo.awaitExit(DEADLINE)).isZero();
        }
        try (ChildProcess cat = ChildProcess.builder("cat", fifo.toString()).start()) {
            assertThat(run("fifo", "write", fifo.toString(), "to cat", "--timeout", "60000").exitCode()).isZero();
            assertThat(cat.remainingLines(DEADLINE)).containsExactly("to cat");
        }
    }

    @Test
    void shouldCarryTextThroughAMessageQueueWithTheMqCommands() throws IOException {
        String name = io.github.ipcatlas.core.IpcNames.unique("t-it-mq");
        try {
            assertThat(run("mq", "send", name, "from the jar", "--create", "--max-messages", "2", "--max-size", "64",
                    "--priority", "4").exitCode()).isZero();
            assertThat(run("mq", "info", name).stdout()).contains("current_messages: 1");
            assertThat(run("mq", "receive", name, "--show-priority").stdout()).containsExactly("4 from the jar");
            assertThat(run("mq", "receive", name, "--timeout", "50").exitCode()).isEqualTo(1);
            assertThat(run("mq", "unlink", name).exitCode()).isZero();
        } finally {
            io.github.ipcatlas.mqueue.MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldLeaveNoQueueBehindWhenMqSendWithCreateFails() throws IOException {
        String name = io.github.ipcatlas.core.IpcNames.unique("t-it-mq");
        try {
            ChildProcess.Outcome badPriority = run("mq", "send", "--create", name, "text", "--priority", "40000");
            assertThat(badPriority.exitCode()).isEqualTo(2);
            assertThat(badPriority.stderr()).contains("priority 40000 is outside 0..32767");
            assertThat(queueExists(name)).as("queue after a bad priority").isFalse();

            ChildProcess.Outcome tooLarge = run("mq", "send", "--create", name, "too large", "--max-size", "4");
            assertThat(tooLarge.exitCode()).isEqualTo(2);
            assertThat(tooLarge.stderr()).contains("message of 9 bytes").contains("maxMessageSize 4");
            assertThat(queueExists(name)).as("queue after a too large text").isFalse();
        } finally {
            io.github.ipcatlas.mqueue.MessageQueue.unlinkIfExists(name);
        }
    }

    private static boolean queueExists(String name) throws IOException {
        try (var queue = io.github.ipcatlas.mqueue.MessageQueue.open(name, io.github.ipcatlas.mqueue.Access.READ_ONLY)) {
            return true;
        } catch (java.nio.file.NoSuchFileException absent) {
            return false;
        }
    }

    @Test
    void shouldWriteAndReadAFileThroughTheMmapCommands() throws IOException {
        Path file = dir.resolve("mapped");
        assertThat(run("mmap", "write", file.toString(), "through a mapping").exitCode()).isZero();
        assertThat(run("mmap", "read", file.toString(), "--offset", "8").stdout()).containsExactly("a mapping");
    }

    @Test
    void shouldEchoThroughTheSocketCommands() throws IOException {
        try (ChildProcess server = java(List.of("socket", "echo-server", "--tcp", "0", "--count", "1"))) {
            String listening = server.nextLine(DEADLINE);
            assertThat(listening).matches("listening on 127\\.0\\.0\\.1:\\d+");
            ChildProcess.Outcome send = run("socket", "send", "--tcp", listening.substring("listening on ".length()),
                    "round and back");
            assertThat(send.stdout()).as(send.stderr()).containsExactly("round and back");
            assertThat(server.awaitExit(DEADLINE)).isZero();
        }
    }

    @Test
    void shouldWaitForAQueuedRealtimeSignalWithTheSignalCommands() throws IOException {
        try (ChildProcess wait = java(List.of("signal", "wait", "RTMIN+3", "--timeout", "30000"))) {
            String announced = wait.nextLine(DEADLINE);
            assertThat(announced).matches("pid \\d+ waiting for SIGRTMIN\\+3");
            ChildProcess.Outcome send = run("signal", "send", announced.split(" ")[1], "SIGRTMIN+3", "--value", "7");
            assertThat(send.exitCode()).as(send.stderr()).isZero();
            assertThat(wait.nextLine(DEADLINE)).isEqualTo("received SIGRTMIN+3 value 7");
            assertThat(wait.awaitExit(DEADLINE)).isZero();
        }
    }

    @Test
    void shouldWriteReadAndUnlinkASegmentWithTheShmCommands() throws IOException {
        String name = io.github.ipcatlas.core.IpcNames.unique("t-it-shm");
        try {
            assertThat(run("shm", "write", name, "in shared memory").exitCode()).isZero();
            assertThat(Files.size(Path.of("/dev/shm", name.substring(1)))).isEqualTo(16);
            assertThat(run("shm", "read", name).stdout()).containsExactly("in shared memory");
            assertThat(run("shm", "unlink", name).exitCode()).isZero();
            assertThat(run("shm", "read", name).exitCode()).isEqualTo(1);
        } finally {
            io.github.ipcatlas.shm.SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldCarryTextThroughSystemVObjectsWithTheSysvCommands() throws IOException {
        int pid = (int) ProcessHandle.current().pid();
        String key = String.format("0x%08x", 0x5B000000 | (pid & 0xFFFF) << 8 | 0x42);
        try {
            assertThat(run("sysv", "mq", "send", key, "typed", "--create", "--type", "9").exitCode()).isZero();
            assertThat(run("sysv", "mq", "receive", key, "--show-type").stdout()).containsExactly("9 typed");
            assertThat(run("sysv", "mq", "remove", key).exitCode()).isZero();
            assertThat(run("sysv", "shm", "write", key, "in a System V segment").exitCode()).isZero();
            assertThat(run("sysv", "shm", "read", key).stdout()).containsExactly("in a System V segment");
            assertThat(run("sysv", "shm", "remove", key).exitCode()).isZero();
            assertThat(run("sysv", "shm", "read", key).exitCode()).isEqualTo(1);
        } finally {
            io.github.ipcatlas.sysv.SysvMessageQueue.removeIfExists(io.github.ipcatlas.sysv.SysvKey.parse(key));
            io.github.ipcatlas.sysv.SysvSharedMemory.removeIfExists(io.github.ipcatlas.sysv.SysvKey.parse(key));
        }
    }

    @Test
    void shouldReportHealthWithDoctor() throws IOException {
        ChildProcess.Outcome doctor = run("doctor");

        assertThat(doctor.exitCode()).isZero();
        assertThat(doctor.stdout()).contains("native access: ok (libc bound through jnr-ffi)")
                .anyMatch(l -> l.startsWith("pipe_max_size: ")).anyMatch(l -> l.startsWith("mq_msg_max: "))
                .anyMatch(l -> l.matches("msgqueue_bytes_limit: \\d+ \\(\\d+ default-size queues fit per user.*"))
                .anyMatch(l -> l.startsWith("jvm_reserved_signals: QUIT ILL BUS FPE SEGV USR2 ("))
                .anyMatch(l -> l.startsWith("realtime_signals: SIGRTMIN..SIGRTMAX = 34..64"))
                .anyMatch(l -> l.matches("sigpending_limit: \\d+ .*"))
                .anyMatch(l -> l.startsWith("pidfds: available (pidfd_open"))
                .anyMatch(l -> l.startsWith("memfd_seals: SEAL SHRINK GROW WRITE FUTURE_WRITE"))
                .anyMatch(l -> l.matches("sysv_msg_limits: \\d+ bytes per message, \\d+ bytes per queue, \\d+ queues .*"))
                .anyMatch(l -> l.matches("sysv_sem_limits: \\d+ per set, .*"))
                .anyMatch(l -> l.matches("sysv_objects: \\d+ queues, \\d+ segments, \\d+ semaphore sets exist now .*"))
                .anyMatch(l -> l.startsWith("dev_shm_free_bytes: "))
                .anyMatch(l -> l.startsWith("network_namespaces: "));
    }

    @Test
    void shouldMeasureTheAgronaPeerWithTheOpeningTheJarsManifestAsksFor() throws IOException {
        ChildProcess.Outcome bench = run("bench", "--mechanisms", "peer-agrona-ring", "--sizes", "64", "--round-trips",
                "300", "--warmup", "200", "--format", "csv");

        assertThat(bench.exitCode()).as(bench.stderr()).isZero();
        assertThat(bench.stdout()).anyMatch(l -> l.startsWith("peer-agrona-ring,process,64,300,"));
        assertThat(bench.stderr()).doesNotContain("--add-opens"); // not skipped for want of it
    }

    @Test
    void shouldMeasureTheJunixsocketPeerFromTheJarAndLeaveNoLibraryBehind() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> before = extractedJunixsocketLibraries(tmp);
        ChildProcess.Outcome bench = run("bench", "--mechanisms", "peer-junixsocket", "--sizes", "64,4096",
                "--round-trips", "300", "--warmup", "200", "--format", "csv");
        ChildProcess.Outcome stream = run("bench", "--mode", "throughput", "--mechanisms", "peer-junixsocket",
                "--sizes", "4096", "--messages", "2000", "--warmup", "200", "--format", "csv");

        assertThat(bench.exitCode()).as(bench.stderr()).isZero();
        assertThat(bench.stdout()).anyMatch(l -> l.startsWith("peer-junixsocket,process,64,300,"))
                .anyMatch(l -> l.startsWith("peer-junixsocket,process,4096,300,"));
        assertThat(stream.exitCode()).as(stream.stderr()).isZero();
        assertThat(stream.stdout()).anyMatch(l -> l.startsWith("peer-junixsocket,process,4096,2000,"));
        // junixsocket copies its JNI library to the temporary directory, loads it and deletes it at once
        assertThat(extractedJunixsocketLibraries(tmp)).isSubsetOf(before);
    }

    @Test
    void shouldMeasureTheAeronPeerFromTheJarAndLeaveNoDirectoryBehind() throws IOException {
        List<String> before = aeronDirectories();
        ChildProcess.Outcome bench = run("bench", "--mechanisms", "peer-aeron-ipc", "--sizes", "64,4096",
                "--round-trips", "300", "--warmup", "200", "--format", "csv");
        ChildProcess.Outcome stream = run("bench", "--mode", "throughput", "--mechanisms", "peer-aeron-ipc",
                "--sizes", "65536", "--messages", "2000", "--warmup", "200", "--format", "csv");

        assertThat(bench.exitCode()).as(bench.stderr()).isZero();
        assertThat(bench.stdout()).anyMatch(l -> l.startsWith("peer-aeron-ipc,process,64,300,"))
                .anyMatch(l -> l.startsWith("peer-aeron-ipc,process,4096,300,"));
        assertThat(stream.exitCode()).as(stream.stderr()).isZero();
        assertThat(stream.stdout()).anyMatch(l -> l.startsWith("peer-aeron-ipc,process,65536,"));
        assertThat(aeronDirectories()).as("the media driver's directory and its log buffers").isSubsetOf(before);
    }

    /** The Aeron directories of any benchmark now in /dev/shm (another run's may be there: compare before and after). */
    private static List<String> aeronDirectories() throws IOException {
        try (var files = Files.list(Path.of("/dev/shm"))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("ipc-atlas-bench-aeron-"))
                    .toList();
        }
    }

    @Test
    void shouldMeasureAcrossTwoHostsWhenAskedByNameAndLeaveNoInterfaceBehind() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Mechanisms.byId("tcp-veth").cannotCarry(64) == null,
                () -> Mechanisms.byId("tcp-veth").cannotCarry(64));
        ChildProcess.Outcome bench;
        String ours;
        try (ChildProcess child = java(List.of("bench", "--mechanisms", "tcp-veth,udp-veth,peer-aeron-udp", "--sizes",
                "64", "--round-trips", "300", "--warmup", "200", "--format", "csv"))) {
            ours = "abh" + child.pid() % 100_000 + "n"; // the host ends of this run's pairs
            bench = child.finish(DEADLINE);
        }

        assertThat(bench.exitCode()).as(bench.stderr()).isZero();
        assertThat(bench.stdout()).anyMatch(l -> l.startsWith("tcp-veth,hosts,64,300,"))
                .anyMatch(l -> l.startsWith("udp-veth,hosts,64,300,"))
                .anyMatch(l -> l.startsWith("peer-aeron-udp,hosts,64,300,"));
        // each peer's namespace went with it, and the veth pair with the namespace
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (var all = Files.list(Path.of("/sys/class/net"))) {
                return all.noneMatch(l -> l.getFileName().toString().startsWith(ours));
            }
        });
    }

    private static List<Path> extractedJunixsocketLibraries(Path tmp) throws IOException {
        try (var files = Files.list(tmp)) {
            return files.filter(f -> f.getFileName().toString().matches("libtmp\\d+libjunixsocket-native-.*"))
                    .toList();
        }
    }

    @Test
    void shouldPrintNoWarningOnTheNewestJdk() throws IOException {
        Path newest = NewestJdk.find();
        try (ChildProcess child = ChildProcess.builder(newest.toString(), "-jar", JAR.toString(), "bench",
                "--mechanisms", "pipe,fifo,mq,mmap,uds,tcp,udp,signal,signal-rt,peer-agrona-ring,peer-aeron-ipc,peer-junixsocket",
                "--sizes", "64",
                "--round-trips", "100", "--warmup", "10", "-q")
                .start()) {
            List<String> out = child.remainingLines(DEADLINE);
            assertThat(child.awaitExit(DEADLINE)).isZero();
            assertThat(out).anyMatch(l -> l.startsWith("fifo ")).anyMatch(l -> l.startsWith("mmap "))
                    .anyMatch(l -> l.startsWith("peer-agrona-ring ")).anyMatch(l -> l.startsWith("peer-aeron-ipc "))
                    .anyMatch(l -> l.startsWith("peer-junixsocket "));
            assertThat(child.stderr()).as("on %s", newest).doesNotContain("WARNING");
        }
    }

    private ChildProcess.Outcome run(String... args) throws IOException {
        try (ChildProcess child = java(List.of(args))) {
            return child.finish(DEADLINE);
        }
    }

    private static ChildProcess java(List<String> args) throws IOException {
        return ChildProcess.builder(ChildJvm.javaExecutable().toString(), "-XX:TieredStopAtLevel=1", "-jar",
                JAR.toString()).args(args.toArray(String[]::new)).start();
    }

}
