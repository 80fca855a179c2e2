package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

import io.github.ipcatlas.comparison.bench.ChildConnection;
import io.github.ipcatlas.comparison.bench.Link;
import io.github.ipcatlas.comparison.bench.PeerMode;
import io.github.ipcatlas.signals.Signal;
import io.github.ipcatlas.signals.Signals;
import io.github.ipcatlas.sysv.SharedMemoryAttachment;
import io.github.ipcatlas.sysv.SysvKey;
import io.github.ipcatlas.sysv.SysvSharedMemory;

/**
 * One System V shared-memory segment holding two {@link Mailbox}es, one each way, both sides <b>spinning</b>: what a
 * program that uses {@code shmget}/{@code shmat} the classic way does, and what the most-quoted C benchmarks of
 * System V shared memory measure. The segment is {@code IPC_PRIVATE}, and removed as soon as the benchmark has
 * attached it: Linux lets the peer still attach it by id, and nothing can outlive the run.
 */
public final class SysvShmMechanism implements SharedMemoryMechanism {
    /** Two mailboxes of this many bytes and their headers fit the 2 GiB a buffer view may span. */
    private static final int MAX_SIZE = 1 << 30;

    @Override
    public String id() {
        return "sysv-shm";
    }

    @Override
    public String description() {
        return "a System V segment shmget/shmat with a one-message mailbox each way; both sides SPIN";
    }

    @Override
    public String cannotCarry(int size) {
        return size > MAX_SIZE ? "a mailbox is one buffer view, here of at most " + MAX_SIZE + " bytes" : null;
    }

    @Override
    public Connection connect(PeerMode mode) throws IOException {
        long box = Mailbox.bytes(mode.size());
        SharedMemoryAttachment attachment;
        int id;
        try (SysvSharedMemory segment = SysvSharedMemory.create(SysvKey.PRIVATE, 2 * box)) {
            id = segment.id();
            try {
                attachment = segment.attach();
            } finally {
                segment.remove(); // goes with the last detach; the peer attaches by id meanwhile (Linux allows it)
            }
        }
        String self = String.valueOf(ProcessHandle.current().pid());
        Mailbox out = new Mailbox(attachment.buffer(0, (int) box), mode.size());
        Mailbox in = new Mailbox(attachment.buffer(box, (int) box), mode.size());
        attachment.close(); // the views keep it attached until they are collected
        return ChildConnection.start(ChildConnection.peer(this, mode, String.valueOf(id), self), peer -> {
            MailboxLink link = new MailboxLink(in, out);
            PeerExitWatcher.start(peer, "sysv-shm peer watcher", link::peerGone);
            return link;
        }, null);
    }

    @Override
    public Link accept(List<String> args) throws IOException {
        Signals.sendOnParentDeath(Signal.KILL, Long.parseLong(args.get(1))); // a spinning peer must not outlive it
        try (SysvSharedMemory segment = SysvSharedMemory.ofId(Integer.parseInt(args.get(0)));
             SharedMemoryAttachment attachment = segment.attach()) {
            long box = segment.size() / 2;
            int capacity = Mailbox.capacity(box);
            return new MailboxLink(new Mailbox(attachment.buffer(0, (int) box), capacity),
                    new Mailbox(attachment.buffer(box, (int) box), capacity));
        }
    }

    /** A mailbox each way. Not thread-safe: one thread per side. */
    private static final class MailboxLink implements Link {
        private final Mailbox in;
        private final Mailbox out;
        /** Made once: a method reference written at each call allocated 16 bytes per round trip. */
        private final Mailbox.PeerCheck peerCheck = this::checkPeer;
        private volatile boolean peerGone;
        private boolean closed;

        MailboxLink(Mailbox in, Mailbox out) {
            this.in = in;
            this.out = out;
        }

        void peerGone() {
            peerGone = true;
        }

        @Override
        public void send(ByteBuffer message) throws IOException {
            out.send(message, peerCheck);
        }

        @Override
        public void receive(ByteBuffer into) throws IOException {
            in.receive(into, peerCheck);
        }

        private void checkPeer() throws IOException {
            if (peerGone) {
                throw new java.io.EOFException("the peer exited while this side waited for it");
            }
        }

        /** Ends the conversation once; a peer that has exited needs no word. */
        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                out.end(peerCheck);
            } catch (java.io.EOFException peerExited) {
                // it is gone: nobody is left to tell
            }
        }
    }
}
