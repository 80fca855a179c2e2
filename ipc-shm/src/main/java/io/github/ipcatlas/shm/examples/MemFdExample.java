package io.github.ipcatlas.shm.examples;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.Demo;
import io.github.ipcatlas.core.FdChannel;
import io.github.ipcatlas.shm.MemFd;
import io.github.ipcatlas.shm.MemFd.Seal;

/**
 * Anonymous shared memory handed to a child, which can trust it: the parent writes a memfd, seals it against
 * shrinking, growing and writing, and lets a child JVM inherit it as descriptor 3. The child checks the seals
 * before it relies on the bytes — nobody, the parent included, can change them any more — and prints them. Nothing
 * has a name, so nothing is left behind.
 */
public final class MemFdExample implements Demo {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final int INHERITED = 3;

    public static void main(String[] args) throws Exception {
        new MemFdExample().run(System.out);
    }

    @Override
    public String name() {
        return "memfd";
    }

    @Override
    public String summary() {
        return "a sealed memfd inherited by a child, which checks the seals before it trusts the bytes";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        try (MemFd memory = MemFd.create("greeting")) {
            memory.write(ByteBuffer.wrap("Hello through sealed memory".getBytes(StandardCharsets.UTF_8)));
            memory.seal(Seal.SHRINK, Seal.GROW, Seal.WRITE);
            try (ChildProcess child = ChildJvm.builder(Reader.class).inheritFd(memory.channel(), INHERITED)
                    .quickStart().start()) {
                out.println(child.nextLine(DEADLINE));
                int status = child.awaitExit(DEADLINE);
                if (status != 0) {
                    throw new IllegalStateException("child exited with " + status + ": " + child.stderr());
                }
            }
        }
    }

    /** The child: adopts descriptor 3, refuses it unless sealed against every change, prints its bytes. */
    public static final class Reader {
        private Reader() {
        }

        public static void main(String[] args) throws Exception {
            try (MemFd memory = MemFd.adopt(new FdChannel(INHERITED, "inherited memfd"))) {
                if (!memory.seals().containsAll(java.util.Set.of(Seal.SHRINK, Seal.GROW, Seal.WRITE))) {
                    throw new IllegalStateException("not sealed, so not to be trusted: " + memory.seals());
                }
                System.out.println(new String(memory.contents(1024), StandardCharsets.UTF_8));
            }
        }
    }
}
