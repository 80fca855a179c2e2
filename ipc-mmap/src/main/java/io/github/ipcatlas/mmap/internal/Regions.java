package io.github.ipcatlas.mmap.internal;

import java.util.Objects;
import java.util.function.Function;

import io.github.ipcatlas.mmap.MappedFile;

/**
 * How code outside {@link MappedFile}'s package finds a mapping's {@link MappedRegion}: {@code MappedFile} installs
 * the lookup when its class is initialised, and nothing else may.
 */
public final class Regions {
    private static volatile Function<MappedFile, MappedRegion> lookup;

    private Regions() {
    }

    /** Called once by {@link MappedFile}'s class initialiser; refused from anywhere else. */
    public static void install(Function<MappedFile, MappedRegion> regionOf) {
        if (StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass() != MappedFile.class) {
            throw new IllegalCallerException("only MappedFile installs the lookup of its regions");
        }
        if (lookup != null) {
            throw new IllegalStateException("already installed");
        }
        lookup = Objects.requireNonNull(regionOf);
    }

    /** The region behind {@code map}. */
    public static MappedRegion of(MappedFile map) {
        Function<MappedFile, MappedRegion> installed = lookup;
        if (installed == null) { // MappedFile's class is initialised by the time anyone holds one; this is a guard
            throw new IllegalStateException("MappedFile has not installed the lookup of its regions");
        }
        return installed.apply(Objects.requireNonNull(map, "map"));
    }
}
