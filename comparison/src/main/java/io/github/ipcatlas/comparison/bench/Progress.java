package io.github.ipcatlas.comparison.bench;

import java.io.PrintStream;

/**
 * Progress of a benchmark run on stderr: a bar redrawn in place on a terminal, one line per step otherwise (so a
 * log stays readable). Never touches stdout, where the results go.
 */
public final class Progress {
    private static final int WIDTH = 30;

    private final PrintStream err;
    private final boolean terminal;
    private final int steps;
    private final boolean quiet;
    private int step;
    private String label = "";
    private int shownPercent = -1;

    public Progress(PrintStream err, int steps, boolean quiet) {
        this.err = err;
        this.steps = steps;
        this.quiet = quiet;
        this.terminal = System.console() != null;
    }

    /** Starts the next step, e.g. {@code pipe 64 B}. */
    public void begin(String stepLabel) {
        step++;
        label = stepLabel;
        shownPercent = -1;
        phase("starting peer", 0);
    }

    /** Reports {@code done} of {@code total} in the named phase; cheap enough to call every iteration. */
    public void update(String phase, long done, long total) {
        int percent = total <= 0 ? 100 : (int) (done * 100 / total);
        if (percent / 5 != shownPercent / 5) {
            phase(phase, percent);
        }
    }

    /** Ends the current step. */
    public void end(String summary) {
        if (quiet) {
            return;
        }
        if (terminal) {
            err.print("\r\033[2K");
        }
        err.printf("[%d/%d] %s: %s%n", step, steps, label, summary);
        err.flush();
    }

    private void phase(String phase, int percent) {
        shownPercent = percent;
        if (quiet || !terminal) {
            return;
        }
        int filled = percent * WIDTH / 100;
        err.printf("\r\033[2K[%d/%d] %-18s [%s%s] %3d%% %s", step, steps, label, "#".repeat(filled),
                ".".repeat(WIDTH - filled), percent, phase);
        err.flush();
    }
}
