package io.github.ipcatlas.comparison.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.text.DecimalFormat;
import java.nio.file.Path;
import java.util.List;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The benchmark's results as PNG charts (JFreeChart, drawn headless): round-trip p50 and p99 per mechanism on a
 * log scale, processes and threads in different colours; or throughput against message size; or p99 against the
 * rate achieved. With {@code --runs}, latency bars carry a whisker and throughput points a bar from the slowest to
 * the fastest run.
 */
public final class Charts {
    private static final Color PROCESS_P50 = new Color(0x1f, 0x4e, 0x96);
    private static final Color PROCESS_P99 = new Color(0x8f, 0xaa, 0xdc);
    private static final Color THREAD_P50 = new Color(0xc0, 0x5a, 0x12);
    private static final Color THREAD_P99 = new Color(0xf4, 0xb1, 0x83);
    private static final int WIDTH = 1200;
    private static final int HEIGHT = 700;

    private Charts() {
    }

    /**
     * Writes the chart of {@code report} to {@code file}: latency if it has latency results, latency against load if
     * it has rate results, else throughput.
     */
    public static void write(Report report, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        JFreeChart chart = !report.latency().isEmpty() ? latency(report.latency())
                : !report.rate().isEmpty() ? rate(report.rate()) : throughput(report.throughput());
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    }

    static JFreeChart latency(List<LatencyResult> results) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (LatencyResult r : results) {
            String category = r.mechanism() + " " + r.sizeBytes() + " B";
            data.addValue(r.p50Nanos() / 1000.0, "p50", category);
            data.addValue(r.p99Nanos() / 1000.0, "p99", category);
        }
        LogAxis axis = new LogAxis("round trip, µs (log scale)");
        axis.setSmallestValue(0.01);
        axis.setTickUnit(new NumberTickUnit(1));                       // one tick per power of ten
        axis.setNumberFormatOverride(new DecimalFormat("0.##"));       // 0.1, 1, 10, not 10^-1, 10^0, 10^1
        BarRenderer renderer = new SpreadBarRenderer(results, THREAD_P50, THREAD_P99, PROCESS_P50, PROCESS_P99);
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.05);
        CategoryAxis categories = new CategoryAxis("mechanism and message size (blue: processes, orange: threads; "
                + "dark: p50, light: p99; whisker: p50 of the fastest to the slowest run)");
        categories.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        CategoryPlot plot = new CategoryPlot(data, categories, axis, renderer);
        plot.setOrientation(PlotOrientation.VERTICAL);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return new JFreeChart("Round-trip latency, one message in flight", JFreeChart.DEFAULT_TITLE_FONT, plot, false);
    }

    /** p99 from the due time against the rate achieved, one line per mechanism and size: the latency-load curve. */
    static JFreeChart rate(List<RateResult> results) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (RateResult r : results) {
            series(data, r.mechanism() + " " + r.sizeBytes() + " B").add(r.achievedPerSecond(), r.p99Nanos() / 1000.0);
        }
        LogAxis load = new LogAxis("messages a second achieved (log scale)");
        load.setTickUnit(new NumberTickUnit(1));
        load.setNumberFormatOverride(new DecimalFormat("#,##0"));
        LogAxis latency = new LogAxis("p99 from the due send time, µs (log scale)");
        latency.setSmallestValue(0.01);
        latency.setTickUnit(new NumberTickUnit(1));
        latency.setNumberFormatOverride(new DecimalFormat("0.##"));
        return lines(data, new XYLineAndShapeRenderer(true, true), load, latency,
                "Latency under load (coordinated omission corrected)");
    }

    static JFreeChart throughput(List<ThroughputResult> results) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        for (ThroughputResult r : results) {
            int index = data.indexOf(r.mechanism());
            YIntervalSeries series = index >= 0 ? data.getSeries(index) : new YIntervalSeries(r.mechanism());
            if (index < 0) {
                data.addSeries(series);
            }
            double[] range = megabytesRange(r);
            series.add(r.sizeBytes(), r.megabytesPerSecond(), range[0], range[1]);
        }
        LogAxis sizes = new LogAxis("message size, bytes (log scale)");
        sizes.setBase(2);
        sizes.setTickUnit(new NumberTickUnit(1));                      // one tick per power of two
        sizes.setNumberFormatOverride(new DecimalFormat("0"));
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDrawXError(false);
        renderer.setDefaultLinesVisible(true);
        return lines(data, renderer, sizes, new NumberAxis("MB/s (bars: the slowest to the fastest run)"),
                "One-way throughput by message size");
    }

    /** The MB/s of the slowest and the fastest of the runs {@code r} is the median of, or its own MB/s twice. */
    static double[] megabytesRange(ThroughputResult r) {
        RunSpread spread = r.spread();
        if (spread == null || r.messagesPerSecond() <= 0) {
            return new double[] {r.megabytesPerSecond(), r.megabytesPerSecond()};
        }
        double perMessage = r.megabytesPerSecond() / r.messagesPerSecond();
        return new double[] {spread.min() * perMessage, spread.max() * perMessage};
    }

    private static XYSeries series(XYSeriesCollection data, String key) {
        int index = data.getSeriesIndex(key);
        if (index >= 0) {
            return data.getSeries(index);
        }
        XYSeries series = new XYSeries(key);
        data.addSeries(series);
        return series;
    }

    private static JFreeChart lines(XYDataset data, XYLineAndShapeRenderer renderer, ValueAxis x, ValueAxis y,
                                    String title) {
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    }
}
