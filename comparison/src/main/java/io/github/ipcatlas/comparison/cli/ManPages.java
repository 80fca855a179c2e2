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
 * the command: the name line from the command's description, the synopsis, the description, its arguments, options
 * and subcommands as tagged paragraphs (each described as the help describes it, defaults filled in), and the other
 * pages under SEE ALSO. The build runs it for the distribution's {@code man/man1}; {@code man -l} reads the
 * result. Not API.
 */
public final class ManPages {
    /** A help width no line reaches, so that picocli breaks none. */
    private static final int UNWRAPPED = 100_000;

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
        spec.usageMessage().width(UNWRAPPED); // man wraps, at the reader's width: picocli's own breaks would split "FILE.png"
        CommandLine.Help help = new CommandLine.Help(spec, CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        String[] description = spec.usageMessage().description();
        String summary = description.length > 0 ? firstSentence(description[0]) : spec.name();
        StringBuilder roff = new StringBuilder();
        roff.append(".TH \"").append(pageName(spec).toUpperCase(java.util.Locale.ROOT)).append("\" \"1\" \"\" \"")
                .append(escape(spec.root().version().length > 0 ? spec.root().version()[0] : "ipc-atlas"))
                .append("\" \"IPC Atlas\"\n");
        roff.append(".SH NAME\n").append(escape(pageName(spec))).append(" \\- ").append(escape(summary)).append('\n');
        // filled, so man wraps it at the reader's width, between options and never inside one; no hyphenation
        roff.append(".SH SYNOPSIS\n.nh\n.ad l\n").append(text(help.synopsis(0).strip().replaceAll("\\s+", " ")))
                .append('\n');
        roff.append(".SH DESCRIPTION\n");
        paragraphs(roff, description);
        paragraphs(roff, spec.usageMessage().footer());
        section(roff, "ARGUMENTS", spec.positionalParameters().stream().filter(p -> !p.hidden())
                .map(p -> entry(help.createDefaultParameterRenderer().render(p, help.createDefaultParamLabelRenderer(),
                        help.colorScheme()))).toList());
        section(roff, "OPTIONS", spec.options().stream().filter(o -> !o.hidden())
                .map(o -> entry(help.createDefaultOptionRenderer().render(o, help.createDefaultParamLabelRenderer(),
                        help.colorScheme()))).toList());
        List<String[]> commands = new ArrayList<>();
        for (CommandLine sub : command.getSubcommands().values()) {
            if (all.contains(sub) && !commands.stream().anyMatch(c -> c[0].equals(sub.getCommandName()))) {
                String[] subDescription = sub.getCommandSpec().usageMessage().description();
                commands.add(new String[] {sub.getCommandName(), subDescription.length > 0 ? subDescription[0] : ""});
            }
        }
        section(roff, "COMMANDS", commands);
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

    /** The NAME line's part of a description: up to its first colon or full stop, as whatis and apropos expect. */
    static String firstSentence(String text) {
        java.util.regex.Matcher end = java.util.regex.Pattern.compile("[:.](\\s|$)").matcher(text);
        return end.find() ? text.substring(0, end.start()) : text;
    }

    /** Lines of a description or footer; an empty line starts a new paragraph. */
    private static void paragraphs(StringBuilder roff, String[] lines) {
        for (String line : lines) {
            roff.append(line.isBlank() ? ".PP" : text(line.strip())).append('\n');
        }
    }

    /** A section of tagged paragraphs: the term in bold, its description below it, indented. */
    private static void section(StringBuilder roff, String title, List<String[]> entries) {
        if (entries.isEmpty()) {
            return;
        }
        roff.append(".SH ").append(title).append('\n');
        for (String[] entry : entries) {
            roff.append(".TP\n\\fB").append(escape(entry[0])).append("\\fR\n").append(text(entry[1])).append('\n');
        }
    }

    /**
     * A term and its description from the rows picocli renders for an option or parameter (the columns of its help
     * table: a required marker, the short name, a comma, the long name with its parameter, the description, wrapped
     * over as many rows as it takes).
     */
    private static String[] entry(CommandLine.Help.Ansi.Text[][] rows) {
        String shortName = rows[0][1].toString().strip();
        String longName = rows[0][3].toString().strip();
        String name = shortName.isEmpty() ? longName : longName.isEmpty() ? shortName : shortName + ", " + longName;
        StringBuilder description = new StringBuilder();
        for (CommandLine.Help.Ansi.Text[] row : rows) {
            description.append(' ').append(row[4].toString().strip());
        }
        return new String[] {name, description.toString().strip().replaceAll("\\s+", " ")};
    }

    /** Text for a filled line: escaped, and safe even if it starts with a dot or an apostrophe. */
    static String text(String line) {
        return "\\&" + escape(line);
    }

    /** Text that roff prints as it is: backslashes doubled, hyphens as minus signs. */
    static String escape(String text) {
        return text.replace("\\", "\\e").replace("-", "\\-").replace("\u2026", "...");
    }
}
