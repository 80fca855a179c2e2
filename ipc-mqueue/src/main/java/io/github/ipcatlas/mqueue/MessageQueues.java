package io.github.ipcatlas.mqueue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.github.ipcatlas.core.Deadline;
import io.github.ipcatlas.core.DescriptorLease;
import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.linux.LinuxConstants;
import io.github.ipcatlas.core.linux.Native;
import io.github.ipcatlas.core.linux.PollFd;

/**
 * Waiting on several queues at once. On Linux a queue descriptor is a file descriptor that {@code poll(2)} (and
 * {@code select}, {@code epoll}) understands: readable when a message waits, writable when there is room. That is
 * readiness without signals, and the reason {@code mq_notify(3)}'s signal route is rarely needed in a JVM.
 */
public final class MessageQueues {
    private MessageQueues() {
    }

    /**
     * Waits at most {@code timeout} until at least one of {@code queues} has a message.
     *
     * @return the queues that have messages now, in argument order; empty on timeout
     */
    public static List<MessageQueue> awaitReceivable(Duration timeout, MessageQueue... queues) throws IOException {
        return await(timeout, LinuxConstants.POLLIN, queues);
    }

    /**
     * Waits at most {@code timeout} until at least one of {@code queues} has room for a message.
     *
     * @return the queues with room now, in argument order; empty on timeout
     */
    public static List<MessageQueue> awaitSendable(Duration timeout, MessageQueue... queues) throws IOException {
        return await(timeout, LinuxConstants.POLLOUT, queues);
    }

    private static List<MessageQueue> await(Duration timeout, short events, MessageQueue... queues)
            throws IOException {
        Deadline deadline = Deadline.after(timeout);
        if (queues.length == 0) {
            throw new IllegalArgumentException("no queues to wait for");
        }
        PollFd fds = new PollFd(Native.runtime(), queues.length);
        DescriptorLease[] leases = new DescriptorLease[queues.length]; // no number is reused while poll watches it
        try {
            for (int i = 0; i < queues.length; i++) {
                leases[i] = Objects.requireNonNull(queues[i], "queue").lease();
                fds.set(i, leases[i].fd(), events);
            }
            return poll(fds, events, deadline, queues);
        } finally {
            DescriptorLease.closeAll(leases);
        }
    }

    private static List<MessageQueue> poll(PollFd fds, short events, Deadline deadline, MessageQueue... queues)
            throws IOException {
        while (true) {
            int ready = Native.libc().poll(fds.pointer(), fds.count(), deadline.remainingMillis());
            if (ready >= 0) {
                List<MessageQueue> result = new ArrayList<>();
                for (int i = 0; ready > 0 && i < queues.length; i++) {
                    if ((fds.revents(i) & events) != 0) {
                        result.add(queues[i]);
                    }
                }
                return result;
            }
            int errno = Native.errno();
            if (errno != Errors.EINTR) {
                throw Errors.of("poll", queues.length + " queues", errno);
            }
        }
    }
}
