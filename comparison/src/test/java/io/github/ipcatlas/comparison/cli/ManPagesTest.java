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
    void shouldHoldTheRoffSectionsAndEveryOptionWithItsDefaultAndHyphensAsMinusSigns() throws IOException {
        ManPages.write(new CommandLine(new IpcAtlas()), dir);
        String bench = Files.readString(dir.resolve("ipc-atlas-bench.1"));
        assertThat(bench).startsWith(".TH \"IPC-ATLAS-BENCH\" \"1\"")
                .contains("\n.SH NAME\nipc\\-atlas\\-bench \\- Measure mechanisms on the same workload\n")
                .contains("\n.SH SYNOPSIS\n").contains("\n.SH DESCRIPTION\n").contains("\n.SH EXIT STATUS\n")
                .contains("\n.SH OPTIONS\n.TP\n")
                .contains("\n.TP\n\\fB\\-\\-round\\-trips=N\\fR\n\\&measured round trips per mechanism and size "
                        + "(default: 20000)\n")
                .contains("[\\-\\-chart=FILE.png]").contains("[\\-\\-sizes=BYTES[,BYTES...][,BYTES[,BYTES...]...]]...").contains("\\fBipc\\-atlas\\-doctor\\fR(1)")
                .doesNotContain("Usage:");
        String fifo = Files.readString(dir.resolve("ipc-atlas-fifo.1"));
        assertThat(fifo).contains("\n.SH COMMANDS\n.TP\n\\fBcreate\\fR\n");
        String create = Files.readString(dir.resolve("ipc-atlas-fifo-create.1"));
        assertThat(create).contains("\n.SH ARGUMENTS\n.TP\n\\fBPATH\\fR\n\\&where to create it\n")
                .contains("\n.TP\n\\fB\\-h, \\-\\-help\\fR\n");
        for (String line : bench.split("\n")) {
            assertThat(line).as("only our own requests start with a dot")
                    .matches("(\\.(TH|SH) .*|\\.(nh|ad l|PP|TP)|[^.'].*|)");
        }
    }

    @Test
    void shouldKeepRoffFromReadingTextAsRequests() {
        assertThat(ManPages.text(".SH not a section")).isEqualTo("\\&.SH not a section");
        assertThat(ManPages.text("'quoted back\\slash")).isEqualTo("\\&'quoted back\\eslash");
        assertThat(ManPages.escape("--a")).isEqualTo("\\-\\-a");
        assertThat(ManPages.firstSentence("Create a FIFO (mkfifo).")).isEqualTo("Create a FIFO (mkfifo)");
        assertThat(ManPages.firstSentence("Measure: this. And that")).isEqualTo("Measure");
        assertThat(ManPages.firstSentence("no stop at all")).isEqualTo("no stop at all");
    }
}
