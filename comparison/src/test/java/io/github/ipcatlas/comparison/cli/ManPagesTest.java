package io.github.ipcatlas.comparison.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.ipcatlas.comparison.IpcAtlas;
import picocli.CommandLine;

/** The distribution's man pages: one per command, from the same picocli model that parses the command line. */
class ManPagesTest {
    @TempDir
    Path dir;

    @Test
    void shouldWriteAPageForTheCommandAndEverySubcommandButHelp() throws IOException {
        CommandLine root = new CommandLine(new IpcAtlas());
        List<Path> pages = ManPages.write(root, dir);
        assertThat(dir.resolve("ipc-atlas.1")).exists();
        for (String sub : root.getSubcommands().keySet()) {
            if (!sub.equals("help")) {
                assertThat(dir.resolve("ipc-atlas-" + sub + ".1")).as(sub).exists();
            }
        }
        assertThat(dir.resolve("ipc-atlas-mq-send.1")).exists();
        assertThat(dir.resolve("ipc-atlas-help.1")).doesNotExist();
        assertThat(pages).hasSizeGreaterThan(root.getSubcommands().size());
    }

    @Test
    void shouldHoldTheRoffSectionsAndTheUsageHelpWithHyphensAsMinusSigns() throws IOException {
        ManPages.write(new CommandLine(new IpcAtlas()), dir);
        String bench = Files.readString(dir.resolve("ipc-atlas-bench.1"));
        assertThat(bench).startsWith(".TH \"IPC-ATLAS-BENCH\" \"1\"")
                .contains("\n.SH NAME\nipc\\-atlas\\-bench \\- Measure mechanisms")
                .contains("\n.SH SYNOPSIS\n").contains("\n.SH DESCRIPTION\n").contains("\n.SH EXIT STATUS\n")
                .contains("\\-\\-round\\-trips").contains("\\fBipc\\-atlas\\-doctor\\fR(1)");
        for (String line : bench.split("\n")) {
            assertThat(line).as("only our own requests start with a dot").matches("(\\.(TH|SH) .*|\\.(nf|fi)|[^.'].*|)");
        }
    }

    @Test
    void shouldKeepRoffFromReadingTextAsRequests() {
        assertThat(ManPages.escapeLines(".SH not a section\n'quoted\nback\\slash")).isEqualTo(
                "\\&.SH not a section\n\\&'quoted\n\\&back\\eslash");
        assertThat(ManPages.escape("--a")).isEqualTo("\\-\\-a");
    }
}
