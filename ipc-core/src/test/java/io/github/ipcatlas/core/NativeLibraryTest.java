package io.github.ipcatlas.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    /** {@code mmap} as anyone would declare it: six primitive arguments, the shape jnr-ffi corrupts. */
    public interface SixPrimitiveArguments {
        long mmap(long address, long length, int protection, int flags, int fd, long offset);
    }

    @Test
    void shouldRefuseAFunctionOfSixPrimitiveArgumentsWhoseSixthJnrWouldCorrupt() {
        assertThatThrownBy(() -> NativeLibrary.load(SixPrimitiveArguments.class, "c"))
                .isInstanceOf(NativeUnavailableException.class)
                .hasMessageContaining("SixPrimitiveArguments.mmap takes six primitive arguments")
                .hasMessageContaining("jnr/jnr-ffi#181");
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
