package io.github.ipcatlas.shm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.IpcNames;

/**
 * Another process of the same user (python3, through {@code renameat2(RENAME_EXCHANGE)}) swaps a segment's name in
 * {@code /dev/shm} with a symbolic link and back, as fast as it can, while we open the segment: {@code shm_open}
 * refuses the link ({@code O_NOFOLLOW}), and whatever we do map must be the segment {@code shm_open} checked — never
 * the link's target. (Reopening by name after {@code shm_open} mapped the target in most of the opens.)
 */
@org.junit.jupiter.api.Timeout(value = 150, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class SharedMemoryHostileNameTest {
    private static final long SEGMENT = 0x5345474d454e5421L;
    private static final long VICTIM = 0x564943544d212121L;
    private static final int OPENS = 1000;
    /** Opens that must have mapped the segment, so the check above ran: a swapper scheduled unluckily on a busy
     *  machine can hold the link in place through a thousand opens, so the test goes on (up to a deadline) until it has. */
    private static final int MAPPED_AT_LEAST = 20;
    private static final Duration LONGEST = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void shouldMapTheSegmentShmOpenCheckedWhileItsNameIsSwappedForALink() throws Exception {
        String name = IpcNames.unique("hostile-name");
        Path entry = SharedMemory.DEV_SHM.resolve(name.substring(1));
        Path linkTemp = SharedMemory.DEV_SHM.resolve(name.substring(1) + ".link");
        Path victim = dir.resolve("victim");
        try (SharedMemory segment = SharedMemory.create(name, 4096);
             var victimFile = io.github.ipcatlas.mmap.MappedFile.create(victim, 4096, io.github.ipcatlas.mmap.Growth.PREALLOCATE)) {
            segment.memory().putLong(0, SEGMENT);
            victimFile.putLong(0, VICTIM);
            Files.createSymbolicLink(linkTemp, victim);
            int mapped = 0;
            try (ChildProcess swapper = ChildProcess.builder("python3", "-c", SWAPPER, entry.toString(),
                    linkTemp.toString()).start()) {
                swapper.awaitLine("swapping", Duration.ofSeconds(30));
                io.github.ipcatlas.core.Deadline deadline = io.github.ipcatlas.core.Deadline.after(LONGEST);
                for (int i = 0; i < OPENS || (mapped < MAPPED_AT_LEAST && !deadline.expired()); i++) {
                    try (SharedMemory opened = SharedMemory.open(name, true)) {
                        assertThat(opened.memory().getLong(0)).as("open %d mapped the segment, not the link's target", i)
                                .isEqualTo(SEGMENT);
                        mapped++;
                    } catch (IOException refused) {
                        // shm_open met the link (ELOOP) or no name at all: a clear refusal is fine
                    }
                }
                assertThat(swapper.isAlive()).as("the swapper ran all along: %s", swapper.stderr()).isTrue();
            }
            assertThat(mapped).as("some opens found the segment").isPositive();
            assertThat(victimFile.getLong(0)).isEqualTo(VICTIM);
        } finally {
            Files.deleteIfExists(linkTemp); // the swapper is gone: one of the two names is the link, the other the segment
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldRefuseAFifoPlantedUnderASegmentNameWithoutBlocking() throws Exception {
        String name = IpcNames.unique("hostile-fifo");
        Path entry = SharedMemory.DEV_SHM.resolve(name.substring(1));
        try (ChildProcess mkfifo = ChildProcess.builder("mkfifo", "-m", "600", entry.toString()).start()) {
            assertThat(mkfifo.awaitExit(Duration.ofSeconds(30))).isZero();
            for (boolean readOnly : new boolean[] {true, false}) {
                // open(2) of a FIFO waits for the other end: this must fail at once instead
                String refusal = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try (SharedMemory opened = SharedMemory.open(name, readOnly)) {
                        return "mapped " + opened;
                    } catch (IOException e) {
                        return e.getMessage();
                    }
                }).get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(refusal).contains("not a regular file");
            }
        } finally {
            Files.deleteIfExists(entry);
        }
    }

    @Test
    void shouldKeepNamesApartThatDifferOnlyOutsideAsciiWhateverTheDefaultCharset() throws Exception {
        String base = IpcNames.unique("charset");
        // JDK 17 with an ASCII default charset, in which both names would read "caf?", but UTF-8 file names
        assertThat(twoNames("C.UTF-8", base + "-caf\u00e9", base + "-caf\u00fc")).isEqualTo("distinct");
    }

    @Test
    void shouldRefuseANameAJvmInTheCLocaleCannotSpellBeforeCreatingAnything() throws Exception {
        String base = IpcNames.unique("charset-c");
        // LC_ALL=C: the JVM's file names are ASCII too, so /dev/shm/NAME cannot even be named
        assertThat(twoNames("C", base + "-caf\u00e9", base + "-caf\u00fc")).startsWith("refused")
                .contains("cannot be a file name in this JVM").contains("LC_ALL=C.UTF-8");
        try (ChildProcess python = ChildProcess.builder("python3", "-c",
                "import os, sys; print(any(n.startswith(sys.argv[1]) for n in os.listdir('/dev/shm')))",
                base.substring(1)).start()) {
            assertThat(python.finish(Duration.ofSeconds(30)).stdout()).as("nothing created").containsExactly("False");
        }
    }

    /** What the two-names peer says, run in {@code locale} with an ASCII default charset. */
    private static String twoNames(String locale, String first, String second) throws IOException {
        java.util.List<String> command = io.github.ipcatlas.core.ChildJvm.builder(io.github.ipcatlas.shm.peers.ShmPeers.class)
                .jvmOptions("-Dfile.encoding=US-ASCII").args("two-names", first, second).command();
        try (ChildProcess child = ChildProcess.builder(command).environment("LC_ALL", locale).start()) {
            ChildProcess.Outcome outcome = child.finish(Duration.ofSeconds(60));
            assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
            return outcome.stdout().get(0);
        }
    }

    @Test
    void shouldNeverShrinkThroughAStaleHandleNorResizeASegmentCreatedAgainUnderTheName() throws IOException {
        String name = IpcNames.unique("resize-stale");
        try (SharedMemory first = SharedMemory.create(name, 4096);
             SharedMemory second = SharedMemory.open(name, false)) {
            first.resize(12288);
            // second still maps 4096 bytes: growing "to 8192" from there would cut the segment down from 12288
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> second.resize(8192))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("from 12288 to 8192");
            first.memory().verifyNotTruncated();

            SharedMemory.unlink(name);
            try (SharedMemory again = SharedMemory.create(name, 4096)) {
                again.memory().putLong(0, 2222);
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> first.resize(16384))
                        .isInstanceOf(IOException.class).hasMessageContaining("now names another segment");
                assertThat(again.size()).as("the other segment untouched").isEqualTo(4096);
            }
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldRefuseASemaphoreNameThatGlibcCannotStore() {
        String name = "/" + "s".repeat(252);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> NamedSemaphore.create(name, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("252 bytes")
                .hasMessageContaining("limit is 251");
    }

    /** Exchanges the two names (segment, link) atomically, over and over, until killed. */
    private static final String SWAPPER = String.join("\n",
            "import ctypes, sys",
            "libc = ctypes.CDLL(None, use_errno=True)",
            "a, b = (p.encode() for p in sys.argv[1:3])",
            "AT_FDCWD, RENAME_EXCHANGE = -100, 2",
            "print('swapping', flush=True)",
            "while True:",
            "    if libc.renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) != 0:",
            "        sys.exit('renameat2: errno %d' % ctypes.get_errno())");
}
