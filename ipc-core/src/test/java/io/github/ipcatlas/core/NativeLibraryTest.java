package io.github.ipcatlas.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class NativeLibraryTest {

    /** A binding to libc with one function that exists and one that does not. */
    public interface BrokenBinding {
        int getpid();

        int ipc_atlas_no_such_function(int x);
    }

    /** A binding to a library that does not exist. */
    public interface MissingLibrary {
        int anything();
    }

    /** A good binding. */
    public interface PidBinding {
        int getpid();
    }

    /** {@code mmap} as anyone would declare it: six integer arguments, the shape jnr-ffi corrupts. */
    public interface SixIntegerArguments {
        long mmap(long address, long length, int protection, int flags, int fd, long offset);
    }

    /** Six integers and a {@code double}: corrupted too. */
    public interface SixIntegersAndADouble {
        long f(long a, long b, long c, long d, long e, jnr.ffi.NativeLong f, double g);
    }

    /** Boxed numbers: corrupted as well. */
    public interface SixBoxedIntegers {
        long f(Integer a, int b, int c, int d, int e, Long f);
    }

    /** Shapes jnr-ffi passes whole: seven integers; six with a pointer among them. */
    public interface SafeShapes {
        long syscall(long number, long a, long b, long c, long d, long e, long f);

        long process_vm_readv(int pid, jnr.ffi.Pointer local, long localCount, jnr.ffi.Pointer remote,
                              long remoteCount, long flags);
    }

    @Test
    void shouldRefuseAFunctionWhoseSixthIntegerArgumentJnrWouldCorrupt() {
        for (Class<?> binding : List.of(SixIntegerArguments.class, SixIntegersAndADouble.class, SixBoxedIntegers.class)) {
            assertThatThrownBy(() -> NativeLibrary.load(binding, "c"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(binding.getSimpleName() + ".")
                    .hasMessageContaining("six integer arguments")
                    .hasMessageContaining("jnr/jnr-ffi#181");
        }
    }

    @Test
    void shouldLoadShapesWhoseArgumentsJnrPassesWhole() {
        NativeLibrary.refuseCorruptedSignatures(SafeShapes.class); // no exception
        assertThat(NativeLibrary.load(SafeShapes.class, "c")).isNotNull();
    }

    @Test
    void shouldLoadLibcAndCallIt() {
        PidBinding binding = NativeLibrary.load(PidBinding.class, "c");

        assertThat(binding.getpid()).isEqualTo((int) ProcessHandle.current().pid());
        assertThat(NativeLibrary.load(PidBinding.class, "c")).isSameAs(binding);
    }

    @Test
    void shouldDiagnoseAMissingFunctionOnceAtLoad() {
        assertThatThrownBy(() -> NativeLibrary.load(BrokenBinding.class, "c"))
                .isInstanceOf(NativeUnavailableException.class)
                .hasMessageContaining("BrokenBinding")
                .hasMessageContaining("\"c\"")
                .hasMessageContaining("ipc_atlas_no_such_function")
                .hasMessageContaining("glibc 2.34");
        // the cached diagnosis comes back without a second probe, with the same text
        assertThatThrownBy(() -> NativeLibrary.load(BrokenBinding.class, "c"))
                .isInstanceOf(NativeUnavailableException.class)
                .hasMessageContaining("ipc_atlas_no_such_function");
    }

    @Test
    void shouldDiagnoseAMissingLibrary() {
        assertThatThrownBy(() -> NativeLibrary.load(MissingLibrary.class, "ipc-atlas-no-such-lib"))
                .isInstanceOf(NativeUnavailableException.class)
                .hasMessageContaining("MissingLibrary")
                .hasMessageContaining("ipc-atlas-no-such-lib");
    }
}
