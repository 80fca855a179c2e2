package io.github.ipcatlas.comparison.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.ipcatlas.comparison.bench.mechanisms.EventFdMechanism;
import io.github.ipcatlas.comparison.bench.mechanisms.FifoMechanism;
import io.github.ipcatlas.comparison.bench.mechanisms.MmapMechanism;
import io.github.ipcatlas.comparison.bench.mechanisms.MqMechanism;
import io.github.ipcatlas.comparison.bench.mechanisms.PeerAeronIpcMechanism;
import io.github.ipcatlas.comparison.bench.mechanisms.PeerAeronUdpMechanism;
import io.github.ipcatlas.comparison.bench.mechanisms.PeerAgronaRingMechanism;
import io.github.ipcatlas.comparison.bench.mechanisms.PeerJunixSocketMechanism;
import io.github.ipcatlas.comparison.bench.mechanisms.PipeMechanism;
import io.github.ipcatlas.comparison.bench.mechanisms.ShmBlockingMechanism;
import io.github.ipcatlas.comparison.bench.mechanisms.ShmMechanism;
import io.github.ipcatlas.comparison.bench.mechanisms.SignalMechanism;
import io.github.ipcatlas.comparison.bench.mechanisms.SignalRtMechanism;
import io.github.ipcatlas.comparison.bench.mechanisms.SysvMqMechanism;
import io.github.ipcatlas.comparison.bench.mechanisms.SysvShmMechanism;
import io.github.ipcatlas.comparison.bench.mechanisms.ThreadConditionMechanism;
import io.github.ipcatlas.comparison.bench.mechanisms.ThreadExchangerMechanism;
import io.github.ipcatlas.comparison.bench.mechanisms.ThreadQueueMechanism;
import io.github.ipcatlas.comparison.bench.mechanisms.ThreadSpinMechanism;
import io.github.ipcatlas.comparison.bench.mechanisms.TcpMechanism;
import io.github.ipcatlas.comparison.bench.mechanisms.TcpVethMechanism;
import io.github.ipcatlas.comparison.bench.mechanisms.UdpMechanism;
import io.github.ipcatlas.comparison.bench.mechanisms.UdpVethMechanism;
import io.github.ipcatlas.comparison.bench.mechanisms.UdsMechanism;

/** Every mechanism the benchmark knows, by id, in the order reports list them. */
public final class Mechanisms {
    private static final Map<String, Mechanism> BY_ID = new LinkedHashMap<>();

    static {
        register(new PipeMechanism());
        register(new FifoMechanism());
        register(new MqMechanism());
        register(new SysvMqMechanism());
        register(new MmapMechanism());
        register(new ShmMechanism());
        register(new ShmBlockingMechanism());
        register(new SysvShmMechanism());
        register(new UdsMechanism());
        register(new TcpMechanism());
        register(new UdpMechanism());
        register(new SignalMechanism());
        register(new SignalRtMechanism());
        register(new EventFdMechanism());
        register(new ThreadQueueMechanism());
        register(new ThreadConditionMechanism());
        register(new ThreadExchangerMechanism());
        register(new ThreadSpinMechanism());
        register(new PeerAgronaRingMechanism());
        register(new PeerAeronIpcMechanism());
        register(new PeerJunixSocketMechanism());
        register(new TcpVethMechanism());
        register(new UdpVethMechanism());
        register(new PeerAeronUdpMechanism());
    }

    private Mechanisms() {
    }

    private static void register(Mechanism mechanism) {
        BY_ID.put(mechanism.id(), mechanism);
    }

    /**
     * Whether {@code id} names a peer library's mechanism ({@code peer-…}), measured beside ours: the write-up's
     * claims are about the mechanisms themselves, so those leave peers out.
     */
    public static boolean isPeer(String id) {
        return id.startsWith("peer-");
    }

    /** All mechanisms. */
    public static List<Mechanism> all() {
        return List.copyOf(BY_ID.values());
    }

    /**
     * The mechanisms measured when none are named: all but those between two hosts ({@code tcp-veth},
     * {@code udp-veth}, {@code peer-aeron-udp}), which need root and make a network namespace and a veth pair for
     * each connection; those are measured when asked for by name.
     */
    public static List<Mechanism> defaults() {
        return BY_ID.values().stream().filter(m -> !m.scope().equals("hosts")).toList();
    }

    /**
     * The mechanism with {@code id}.
     *
     * @throws IllegalArgumentException naming the id and the known ones
     */
    public static Mechanism byId(String id) {
        Mechanism mechanism = BY_ID.get(id);
        if (mechanism == null) {
            throw new IllegalArgumentException("unknown mechanism \"" + id + "\"; known: "
                    + String.join(", ", BY_ID.keySet()));
        }
        return mechanism;
    }
}
