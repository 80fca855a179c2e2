package io.github.ipcatlas.pipes.examples;

import java.io.PrintStream;
import java.time.Duration;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.Demo;
import io.github.ipcatlas.pipes.EventFd;

/**
 * The write-up's {@code threading.Event} between two processes: the parent creates an eventfd, starts a child JVM
 * that inherits it as descriptor 3 and waits on it; the parent sets the event (adds 1), the child wakes. Prints
 * {@code Worker waiting for event} and {@code Worker received event}, in that order, as the thread version does.
 */
public final class EventFdExample implements Demo {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    public static void main(String[] args) throws Exception {
        new EventFdExample().run(System.out);
    }

    @Override
    public String name() {
        return "eventfd";
    }

    @Override
    public String summary() {
        return "threading.Event across processes: a child JVM waits on an eventfd until its parent adds to it";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        try (EventFd event = EventFd.create(0, EventFd.Mode.COUNTER);
             ChildProcess worker = ChildJvm.builder(Worker.class).inheritFd(event.channel(), 3).quickStart().start()) {
            out.println(worker.nextLine(DEADLINE)); // Worker waiting for event
            event.add(1);                           // event.set()
            out.println(worker.nextLine(DEADLINE)); // Worker received event
            int status = worker.awaitExit(DEADLINE);
            if (status != 0) {
                throw new IllegalStateException("worker exited with " + status + ": " + worker.stderr());
            }
        }
    }

    /** The child: waits on the eventfd it inherited as descriptor 3. */
    public static final class Worker {
        private Worker() {
        }

        public static void main(String[] args) throws Exception {
            try (EventFd event = EventFd.inherited(3, EventFd.Mode.COUNTER)) {
                System.out.println("Worker waiting for event");
                System.out.flush();
                if (event.take(DEADLINE) == 0) { // event.wait(), bounded: a parent that died must not leave us here
                    throw new IllegalStateException("no event within " + DEADLINE);
                }
                System.out.println("Worker received event");
            }
        }
    }
}
