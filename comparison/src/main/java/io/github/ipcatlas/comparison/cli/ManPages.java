package io.github.ipcatlas.comparison.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.github.ipcatlas.comparison.IpcAtlas;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Writes a man page (section 1, roff) for {@code ipc-atlas} and for each of its subcommands, from picocli's model of
 * the command: the name line from the command's description, the usage help as picocli prints it for the body, and
 * the other pages under SEE ALSO. The build runs it for the distribution's {@code man/man1}; {@code man -l} reads the
 * result. Not API.
 */
public final class ManPages {
    private ManPages() {
    }

    /** {@code args[0]}: the directory to write {@code ipc-atlas.1}, {@code ipc-atlas-bench.1}, … into. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ManPages OUTPUT_DIRECTORY");
        }
        write(new CommandLine(new IpcAtlas()), Path.of(args[0]));
    }

    /** Writes the pages of {@code root} and its subcommands into {@code directory}; returns the files written. */
    public static List<Path> write(CommandLine root, Path directory) throws IOException {
        Files.createDirectories(directory);
        List<CommandLine> commands = new ArrayList<>();
        collect(root, commands);
        List<Path> written = new ArrayList<>();
        for (CommandLine command : commands) {
            Path page = directory.resolve(pageName(command.getCommandSpec()) + ".1");
            Files.writeString(page, page(command, commands), StandardCharsets.UTF_8);
            written.add(page);
        }
        return written;
    }

    private static void collect(CommandLine command, List<CommandLine> into) {
        if (command.getCommandSpec().usageMessage().hidden() || command.getCommand() instanceof CommandLine.HelpCommand) {
            return;
        }
        into.add(command);
        for (CommandLine sub : command.getSubcommands().values()) {
            if (!into.contains(sub)) {
                collect(sub, into);
            }
        }
    }

    /** {@code ipc-atlas bench} → {@code ipc-atlas-bench}, as git names its pages. */
    static String pageName(CommandSpec spec) {
        return spec.qualifiedName("-");
    }

    static String page(CommandLine command, List<CommandLine> all) {
        CommandSpec spec = command.getCommandSpec();
        String[] description = spec.usageMessage().description();
        String summary = description.length > 0 ? description[0] : spec.name();
        StringBuilder roff = new StringBuilder();
        roff.append(".TH \"").append(pageName(spec).toUpperCase(java.util.Locale.ROOT)).append("\" \"1\" \"\" \"")
                .append(escape(spec.root().version().length > 0 ? spec.root().version()[0] : "ipc-atlas"))
                .append("\" \"IPC Atlas\"\n");
        roff.append(".SH NAME\n").append(escape(pageName(spec))).append(" \\- ").append(escape(summary)).append('\n');
        roff.append(".SH SYNOPSIS\n.nf\n").append(escapeLines(command.getHelp().synopsis(0).strip())).append("\n.fi\n");
        roff.append(".SH DESCRIPTION\n.nf\n").append(escapeLines(command.getUsageMessage(CommandLine.Help.Ansi.OFF).strip()))
                .append("\n.fi\n");
        roff.append(".SH EXIT STATUS\n0 on success, 1 when the operation failed (a timeout, a missing object, an errno), "
                + "2 on a usage error.\n");
        roff.append(".SH SEE ALSO\n");
        List<String> others = new ArrayList<>();
        for (CommandLine other : all) {
            if (other != command) {
                others.add("\\fB" + escape(pageName(other.getCommandSpec())) + "\\fR(1)");
            }
        }
        roff.append(String.join(",\n", others)).append('\n');
        return roff.toString();
    }

    /** Text that roff prints as it is: backslashes doubled, hyphens as minus signs. */
    static String escape(String text) {
        return text.replace("\\", "\\e").replace("-", "\\-");
    }

    /** Lines that roff prints as they are, even those starting with a dot or an apostrophe (control characters). */
    static String escapeLines(String text) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append("\\&").append(escape(line));
        }
        return out.toString();
    }
}
