package io.github.ipcatlas.signals.peers;

import java.time.Duration;

import io.github.ipcatlas.signals.Signal;
import io.github.ipcatlas.signals.SignalDispositions;
import io.github.ipcatlas.signals.SignalFd;
import io.github.ipcatlas.signals.SignalInfo;

/**
 * Started with RTMIN+1, RTMIN+2 and USR1 blocked. Prints {@code ready}, then waits — reading nothing — until the
 * end marker RTMIN+2 is pending for the process, so everything sent before it is pending too; then reads it all and
 * prints {@code rt N in-order|out-of-order}, {@code usr1 N} and {@code from PID}.
 */
public final class SignalFdPeer {
    private SignalFdPeer() {
    }

    public static void main(String[] args) throws Exception {
        Signal data = Signal.realtime(1);
        Signal end = Signal.realtime(2);
        try (SignalFd fd = SignalFd.open(data, end, Signal.USR1)) {
            System.out.println("ready");
            System.out.flush();
            while (!SignalDispositions.current().sharedPending().contains(end)) {
                Thread.sleep(5);
            }
            SignalInfo info = new SignalInfo();
            int realtime = 0;
            int usr1 = 0;
            boolean inOrder = true;
            int sender = 0;
            while (fd.receive(info, Duration.ofSeconds(10)) && info.signal() != end) {
                if (info.signal() == data) {
                    inOrder &= info.value() == realtime;
                    realtime++;
                    sender = info.senderPid();
                } else {
                    usr1++;
                }
            }
            System.out.println("rt " + realtime + (inOrder ? " in-order" : " out-of-order"));
            System.out.println("usr1 " + usr1);
            System.out.println("from " + sender);
        }
    }
}
