package io.github.ipcatlas.comparison;

import io.github.ipcatlas.comparison.cli.BenchCommand;
import io.github.ipcatlas.comparison.cli.DemoCommand;
import io.github.ipcatlas.comparison.cli.DoctorCommand;
import io.github.ipcatlas.comparison.cli.MemfdCommand;
import io.github.ipcatlas.comparison.cli.VersionProvider;
import io.github.ipcatlas.core.cli.CommandLines;
import io.github.ipcatlas.mmap.cli.MmapCommand;
import io.github.ipcatlas.mqueue.cli.MqCommand;
import io.github.ipcatlas.pipes.cli.FifoCommand;
import io.github.ipcatlas.shm.cli.ShmCommand;
import io.github.ipcatlas.signals.cli.SignalCommand;
import io.github.ipcatlas.sockets.cli.SocketCommand;
import io.github.ipcatlas.sysv.cli.SysvCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ipc-atlas}: every IPC mechanism of Linux from the command line, its examples, and the benchmark that
 * measures them side by side. Results go to stdout, diagnostics to stderr; exit code 0 on success, 1 when the
 * operation failed, 2 on a usage error.
 */
@Command(name = "ipc-atlas", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Inter-process and inter-thread communication on Linux: tools, examples and measurements.",
        subcommands = {BenchCommand.class, DemoCommand.class, DoctorCommand.class, FifoCommand.class, MemfdCommand.class, MqCommand.class, MmapCommand.class, ShmCommand.class, SignalCommand.class, SocketCommand.class, SysvCommand.class,
                CommandLine.HelpCommand.class})
public final class IpcAtlas implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        CommandLines.main(new IpcAtlas(), args);
    }

    /** Without a subcommand: the usage, as a usage error. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }
}
