package io.github.ipcatlas.comparison.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.ipcatlas.core.CpuAffinity;

/** {@code --runs}: the median run, whole, with the spread of all runs and the probe made before the median one. */
class RunMedianTest {

    @Test
    void shouldReportTheMiddleRunWholeWithTheSpreadOfAllAndItsOwnProbe() {
        List<LatencyResult> runs = List.of(latency(300, 1), latency(100, 2), latency(200, 3));

        LatencyResult median = RunMedian.latency(runs, List.of(500.0, 125.0, 130.0));

        assertThat(median.p50Nanos()).isEqualTo(200);
        assertThat(median.gcCount()).as("the other columns are the median run's").isEqualTo(3);
        assertThat(median.spread()).isEqualTo(new RunSpread(3, 100, 300, 130.0));
    }

    @Test
    void shouldTakeTheLowerMiddleRunOfAnEvenNumberSoTheMedianIsARunThatHappened() {
        List<LatencyResult> runs = List.of(latency(400, 1), latency(100, 2), latency(300, 3), latency(200, 4));

        LatencyResult median = RunMedian.latency(runs, List.of(1.0, 2.0, 3.0, 4.0));

        assertThat(median.p50Nanos()).isEqualTo(200);
        assertThat(median.spread()).isEqualTo(new RunSpread(4, 100, 400, 4.0));
    }

    @Test
    void shouldTakeTheThroughputMedianByMessagesPerSecond() {
        List<ThroughputResult> runs = List.of(throughput(3e6, 1), throughput(1e6, 2), throughput(2e6, 3));

        ThroughputResult median = RunMedian.throughput(runs, List.of(Double.NaN, Double.NaN, Double.NaN));

        assertThat(median.messagesPerSecond()).isEqualTo(2e6);
        assertThat(median.spread().runs()).isEqualTo(3);
        assertThat(median.spread().min()).isEqualTo(1e6);
        assertThat(median.spread().max()).isEqualTo(3e6);
        assertThat(median.spread().coreToCoreNanos()).as("no probe possible: NaN, an empty cell").isNaN();
    }

    @Test
    void shouldRefuseNoRunsAndAProbeCountThatDoesNotMatch() {
        assertThatThrownBy(() -> RunMedian.latency(List.of(), List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RunMedian.latency(List.of(latency(1, 1)), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 probes for 1 runs");
    }

    @Test
    void shouldMeasureTheCoreToCoreRoundTripWhereThereAreTwoCpus() throws IOException {
        double probe = CoreToCoreProbe.measure();

        if (CpuAffinity.allowedCpus().length >= 2) {
            assertThat(probe).as("a cache line's round trip between two CPUs").isPositive().isFinite();
        } else {
            assertThat(probe).isNaN();
        }
    }

    private static LatencyResult latency(long p50, long marker) {
        return new LatencyResult("pipe", "process", 64, 1000, p50, p50, p50, p50, p50, p50, 0, marker, 0, 0, 0, 0,
                null, null);
    }

    private static ThroughputResult throughput(double perSecond, long marker) {
        return new ThroughputResult("pipe", "process", 64, 1000, perSecond, perSecond * 64 / 1e6, perSecond, 0, marker,
                0, 0, null, null);
    }
}
