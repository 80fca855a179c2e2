package io.github.ipcatlas.core.internal;

import static io.github.ipcatlas.core.linux.LinuxConstants.O_RDONLY;
import static io.github.ipcatlas.core.linux.LinuxConstants.POSIX_SPAWN_SETSIGDEF;
import static io.github.ipcatlas.core.linux.LinuxConstants.POSIX_SPAWN_SETSIGMASK;
import static io.github.ipcatlas.core.linux.LinuxConstants.SIGSET_BYTES;
import static io.github.ipcatlas.core.linux.LinuxConstants.SPAWN_STRUCT_BYTES;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.linux.LibC;
import io.github.ipcatlas.core.linux.Native;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.byref.IntByReference;

/**
 * {@code posix_spawnp(3)} with file actions: the only way to start a program with a chosen descriptor at a chosen
 * number (ProcessBuilder closes every descriptor above 2 in the child).
 *
 * <p>The child's descriptors are laid out in three steps, because a source and a target number may collide:
 * every source is first duplicated to a scratch number above all sources and targets, then each scratch copy
 * to its target; finally every other descriptor from 3 up is closed ({@code addclosefrom_np}), so none of the
 * JVM's own descriptors that lack close-on-exec leaks into the child. Standard input is {@code /dev/null}
 * unless a mapping gives fd 0. Handled signals are reset to their default, and the signal mask is emptied except
 * for the signals asked to stay blocked: a mask set at exec time is the only way to have a signal blocked in
 * <i>every</i> thread of a JVM (they all descend from the first), which {@code signalfd(2)} needs.
 */
public final class Spawn {
    private Spawn() {
    }

    /**
     * Starts {@code command} (looked up on PATH) with {@code environment} and {@code fdMap} (target → source) and
     * returns its pid.
     */
    public static int spawn(List<String> command, Map<String, String> environment, SortedMap<Integer, Integer> fdMap)
            throws IOException {
        return spawn(command, environment, fdMap, new int[0]);
    }

    /** {@link #spawn(List, Map, SortedMap)} with {@code blockedSignals} blocked in the child from its first instruction. */
    public static int spawn(List<String> command, Map<String, String> environment, SortedMap<Integer, Integer> fdMap,
                            int[] blockedSignals) throws IOException {
        LibC libc = Native.libc();
        Runtime runtime = Native.runtime();
        Pointer actions = Memory.allocateDirect(runtime, SPAWN_STRUCT_BYTES, true);
        Pointer attributes = Memory.allocateDirect(runtime, SPAWN_STRUCT_BYTES, true);
        check("posix_spawn_file_actions_init", command, libc.posix_spawn_file_actions_init(actions));
        try {
            check("posix_spawnattr_init", command, libc.posix_spawnattr_init(attributes));
            try {
                addFileActions(libc, actions, fdMap, command);
                setSignals(libc, runtime, attributes, command, blockedSignals);
                List<Object> keepAlive = new ArrayList<>();
                Pointer argv = stringArray(runtime, command, keepAlive);
                List<String> env = new ArrayList<>();
                environment.forEach((k, v) -> env.add(k + "=" + v));
                Pointer envp = stringArray(runtime, env, keepAlive);
                IntByReference pid = new IntByReference();
                int error = libc.posix_spawnp(pid, command.get(0), actions, attributes, argv, envp);
                if (error != 0) {
                    throw Errors.of("posix_spawnp", command.get(0), error,
                            error == Errors.ENOENT ? "the program is not on PATH" : null);
                }
                return pid.intValue();
            } finally {
                libc.posix_spawnattr_destroy(attributes);
            }
        } finally {
            libc.posix_spawn_file_actions_destroy(actions);
        }
    }

    private static void addFileActions(LibC libc, Pointer actions, SortedMap<Integer, Integer> fdMap,
                                       List<String> command) throws IOException {
        if (!fdMap.containsKey(0)) {
            check("posix_spawn_file_actions_addopen", command,
                    libc.posix_spawn_file_actions_addopen(actions, 0, "/dev/null", O_RDONLY, 0));
        }
        int scratchBase = 3;
        for (Map.Entry<Integer, Integer> e : fdMap.entrySet()) {
            scratchBase = Math.max(scratchBase, Math.max(e.getKey(), e.getValue()) + 1);
        }
        int scratch = scratchBase;
        for (int source : fdMap.values()) {
            check("posix_spawn_file_actions_adddup2", command,
                    libc.posix_spawn_file_actions_adddup2(actions, source, scratch++));
        }
        scratch = scratchBase;
        for (int target : fdMap.keySet()) {
            check("posix_spawn_file_actions_adddup2", command,
                    libc.posix_spawn_file_actions_adddup2(actions, scratch++, target));
        }
        int highestTarget = fdMap.isEmpty() ? 2 : Math.max(2, fdMap.lastKey());
        for (int fd = 3; fd < highestTarget; fd++) {
            if (!fdMap.containsKey(fd)) {
                check("posix_spawn_file_actions_addclose", command, libc.posix_spawn_file_actions_addclose(actions, fd));
            }
        }
        check("posix_spawn_file_actions_addclosefrom_np", command,
                libc.posix_spawn_file_actions_addclosefrom_np(actions, highestTarget + 1));
    }

    private static void setSignals(LibC libc, Runtime runtime, Pointer attributes, List<String> command,
                                   int[] blockedSignals) throws IOException {
        Pointer mask = Memory.allocateDirect(runtime, SIGSET_BYTES, true);
        Pointer all = Memory.allocateDirect(runtime, SIGSET_BYTES, true);
        libc.sigemptyset(mask);
        for (int signal : blockedSignals) {
            check("sigaddset", command, libc.sigaddset(mask, signal) == 0 ? 0 : Native.errno());
        }
        libc.sigfillset(all);
        check("posix_spawnattr_setsigmask", command, libc.posix_spawnattr_setsigmask(attributes, mask));
        check("posix_spawnattr_setsigdefault", command, libc.posix_spawnattr_setsigdefault(attributes, all));
        check("posix_spawnattr_setflags", command, libc.posix_spawnattr_setflags(attributes,
                (short) (POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)));
    }

    /** A NULL-terminated {@code char *[]}; the strings' memory is added to {@code keepAlive}. */
    private static Pointer stringArray(Runtime runtime, List<String> strings, List<Object> keepAlive) {
        int pointerSize = runtime.addressSize();
        Pointer array = Memory.allocateDirect(runtime, (strings.size() + 1) * pointerSize, true);
        for (int i = 0; i < strings.size(); i++) {
            byte[] bytes = strings.get(i).getBytes(StandardCharsets.UTF_8);
            Pointer string = Memory.allocateDirect(runtime, bytes.length + 1, true);
            string.put(0, bytes, 0, bytes.length);
            keepAlive.add(string);
            array.putPointer((long) i * pointerSize, string);
        }
        array.putAddress((long) strings.size() * pointerSize, 0L);
        keepAlive.add(array);
        return array;
    }

    private static void check(String call, List<String> command, int error) throws IOException {
        if (error != 0) {
            throw Errors.of(call, command.get(0), error);
        }
    }
}
