package io.github.ipcatlas.comparison.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ChartsTest {
    private static final LatencyResult SHM = new LatencyResult("shm", "process", 64, 1000, 300, 400, 600, 900, 2000,
            320, 0, 0, 0, 0, 300, 300, null, null);

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void shouldGiveTheLatencyBarOfAMedianRunAWhiskerFromItsFastestToItsSlowestRun() {
        SpreadBarRenderer renderer = renderer(Charts.latency(List.of(SHM.withSpread(new RunSpread(3, 250, 900, 80)))));

        assertArrayEquals(new double[] {0.25, 0.9}, renderer.whiskerMicros(0), 1e-9);
    }

    @Test
    void shouldStretchTheAxisToTheSlowestRun() {
        JFreeChart chart = Charts.latency(List.of(SHM.withSpread(new RunSpread(3, 100, 5000, 80))));

        assertThat(((CategoryPlot) chart.getPlot()).getRangeAxis().getUpperBound()).isGreaterThanOrEqualTo(5.0);
        assertThat(((CategoryPlot) chart.getPlot()).getRangeAxis().getLowerBound()).isLessThanOrEqualTo(0.1);
    }

    @Test
    void shouldDrawNoWhiskerForASingleRun() {
        assertNull(renderer(Charts.latency(List.of(SHM))).whiskerMicros(0));
        assertNull(renderer(Charts.latency(List.of(SHM.withSpread(new RunSpread(1, 300, 300, 80))))).whiskerMicros(0));
    }

    @Test
    void shouldDrawTheWhiskerIntoTheImage() {
        int[] single = pixels(Charts.latency(List.of(SHM)));
        int[] spread = pixels(Charts.latency(List.of(SHM.withSpread(new RunSpread(3, 100, 5000, 80)))));

        assertFalse(Arrays.equals(single, spread), "a whisker from 0.1 to 5 µs changes the picture");
    }

    @Test
    void shouldSpanEachThroughputPointFromTheSlowestToTheFastestRunInMegabytesPerSecond() {
        ThroughputResult shm = new ThroughputResult("shm", "process", 1000, 100, 2e6, 2000, 2e6, 0, 0, 0, 0, null,
                new RunSpread(3, 1e6, 4e6, 80));
        ThroughputResult once = new ThroughputResult("shm", "process", 2000, 100, 1e6, 2000, 1e6, 0, 0, 0, 0, null,
                null);

        YIntervalSeriesCollection data = (YIntervalSeriesCollection) Charts.throughput(List.of(shm, once))
                .getXYPlot().getDataset();

        assertEquals(1, data.getSeriesCount(), "one line per mechanism");
        assertEquals(1000.0, data.getStartYValue(0, 0), 1e-9);
        assertEquals(4000.0, data.getEndYValue(0, 0), 1e-9);
        assertEquals(2000.0, data.getStartYValue(0, 1), 1e-9, "a single run spans only itself");
        assertEquals(2000.0, data.getEndYValue(0, 1), 1e-9);
    }

    private static SpreadBarRenderer renderer(JFreeChart chart) {
        return (SpreadBarRenderer) ((CategoryPlot) chart.getPlot()).getRenderer();
    }

    private static int[] pixels(JFreeChart chart) {
        BufferedImage image = chart.createBufferedImage(400, 300);
        return image.getRGB(0, 0, 400, 300, null, 0, 400);
    }
}
