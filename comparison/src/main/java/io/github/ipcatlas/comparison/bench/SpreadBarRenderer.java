package io.github.ipcatlas.comparison.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.List;

import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.CategoryItemRendererState;
import org.jfree.data.Range;
import org.jfree.data.category.CategoryDataset;

/**
 * The latency chart's bars: p50 (row 0) and p99 (row 1) per result, coloured by scope, with a whisker on the p50 bar
 * from the fastest to the slowest run's p50 when the result is the median of several runs.
 */
final class SpreadBarRenderer extends BarRenderer {
    private static final long serialVersionUID = 1L;
    private static final BasicStroke WHISKER = new BasicStroke(1.5f);

    private final transient List<LatencyResult> results;
    private final Color threadP50;
    private final Color threadP99;
    private final Color processP50;
    private final Color processP99;

    SpreadBarRenderer(List<LatencyResult> results, Color threadP50, Color threadP99, Color processP50,
                      Color processP99) {
        this.results = List.copyOf(results);
        this.threadP50 = threadP50;
        this.threadP99 = threadP99;
        this.processP50 = processP50;
        this.processP99 = processP99;
    }

    @Override
    public Paint getItemPaint(int row, int column) {
        boolean thread = results.get(column).scope().equals("thread");
        boolean p50 = row == 0;
        return thread ? (p50 ? threadP50 : threadP99) : (p50 ? processP50 : processP99);
    }

    /** The p50 whisker of {@code column} in µs, low then high, or {@code null} if it was measured once. */
    double[] whiskerMicros(int column) {
        RunSpread spread = results.get(column).spread();
        return spread == null || spread.runs() < 2 ? null : new double[] {spread.min() / 1000.0, spread.max() / 1000.0};
    }

    /** The bars' range, widened to take every whisker: the axis must reach the slowest run's p50 too. */
    @Override
    public Range findRangeBounds(CategoryDataset dataset, boolean includeInterval) {
        Range range = super.findRangeBounds(dataset, includeInterval);
        for (int column = 0; column < results.size(); column++) {
            double[] whisker = whiskerMicros(column);
            if (whisker != null) {
                range = Range.expandToInclude(Range.expandToInclude(range, whisker[0]), whisker[1]);
            }
        }
        return range;
    }

    @Override
    public void drawItem(Graphics2D g2, CategoryItemRendererState state, Rectangle2D dataArea, CategoryPlot plot,
                         CategoryAxis domainAxis, ValueAxis rangeAxis, CategoryDataset dataset, int row, int column,
                         int pass) {
        super.drawItem(g2, state, dataArea, plot, domainAxis, rangeAxis, dataset, row, column, pass);
        double[] whisker = row == 0 && pass == 0 ? whiskerMicros(column) : null;
        if (whisker == null) {
            return;
        }
        double left = calculateBarW0(plot, plot.getOrientation(), dataArea, domainAxis, state, row, column);
        double centre = left + state.getBarWidth() / 2;
        double low = rangeAxis.valueToJava2D(whisker[0], dataArea, plot.getRangeAxisEdge());
        double high = rangeAxis.valueToJava2D(whisker[1], dataArea, plot.getRangeAxisEdge());
        double cap = state.getBarWidth() / 4;
        g2.setPaint(Color.BLACK);
        g2.setStroke(WHISKER);
        g2.draw(new Line2D.Double(centre, low, centre, high));
        g2.draw(new Line2D.Double(centre - cap, low, centre + cap, low));
        g2.draw(new Line2D.Double(centre - cap, high, centre + cap, high));
    }
}
