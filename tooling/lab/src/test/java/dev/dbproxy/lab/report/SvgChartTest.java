package dev.dbproxy.lab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SvgChartTest {

    @Test
    void niceStep_roundsUpToOneTwoOrFiveTimesAPowerOfTen() {
        assertEquals(1, SvgChart.niceStep(0.8, false), 1e-12);
        assertEquals(2, SvgChart.niceStep(1.3, false), 1e-12);
        assertEquals(50, SvgChart.niceStep(33.4, false), 1e-12);
        assertEquals(100, SvgChart.niceStep(72, false), 1e-12);
        assertEquals(0.05, SvgChart.niceStep(0.031, false), 1e-12);
        assertEquals(1, SvgChart.niceStep(0.2, true), 1e-12);
    }

    @Test
    void yTicks_ofCounts_areWholeRoundNumbersCoveringTheHighestValue() {
        SvgChart chart = lines(new double[] {0, 12, 167});

        List<Double> ticks = chart.yTicks();

        assertEquals(0.0, ticks.getFirst());
        assertTrue(ticks.getLast() >= 167, ticks.toString());
        assertTrue(ticks.size() >= 4 && ticks.size() <= 8, ticks.toString());
        assertTrue(ticks.stream().allMatch(tick -> tick == Math.rint(tick)), ticks.toString());
    }

    @Test
    void yTicks_ofOnlyZeros_stillMakeAnAxis() {
        List<Double> ticks = lines(new double[] {0, 0}).yTicks();

        assertEquals(List.of(0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0), ticks);
    }

    @Test
    void yTicks_onALogScale_areTheDecadesAroundTheValues() {
        SvgChart chart = SvgChart.builder("latency").xMax(10).yAxis("ms", SvgChart.Scale.LOG, false)
                .line(new SvgChart.Line("p99", "#000", false, new double[] {0, 1, 2},
                        new double[] {3, Double.NaN, 1400}))
                .build();

        assertEquals(List.of(1.0, 10.0, 100.0, 1000.0, 10000.0), chart.yTicks());
    }

    @Test
    void xTicks_ofALongRun_fallOnWholeMinutes() {
        SvgChart chart = SvgChart.builder("seed profile").xMax(1900).build();

        List<Double> ticks = chart.xTicks();

        assertTrue(ticks.stream().allMatch(tick -> tick % 60 == 0), ticks.toString());
        assertTrue(ticks.getLast() > 1700, ticks.toString());
    }

    @Test
    void svg_ofAVeryLongLine_keepsAFewPointsPerPixel_andEveryPeak() {
        int n = 40_000;
        double[] seconds = new double[n];
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            seconds[i] = i * 0.25;
            values[i] = 10 + i % 7;
        }
        values[12_345] = 500;
        SvgChart chart = SvgChart.builder("seed profile").size(1200, 360).xMax(seconds[n - 1])
                .yAxis("connections", SvgChart.Scale.LINEAR, true)
                .line(new SvgChart.Line("direct (abandon)", "#000", false, seconds, values))
                .build();

        String svg = chart.svg();

        String path = svg.substring(svg.indexOf("<path d=\"") + 9, svg.indexOf('"', svg.indexOf("<path d=\"") + 9));
        long points = path.chars().filter(c -> c == 'L').count() + 1;
        assertTrue(points <= 4 * 1200, points + " points");
        double top = minY(path);
        assertTrue(chart.yTicks().getLast() >= 500);
        assertEquals(minY(unDecimated(seconds, values)), top, 0.05, "the spike is drawn at its full height");
    }

    private static double minY(String path) {
        double min = Double.MAX_VALUE;
        for (String point : path.split("[ML]")) {
            if (!point.isBlank()) {
                min = Math.min(min, Double.parseDouble(point.trim().split(" ")[1]));
            }
        }
        return min;
    }

    /** The same chart's path drawn from just the spike, to know where the spike's top lies. */
    private static String unDecimated(double[] seconds, double[] values) {
        SvgChart chart = SvgChart.builder("spike").size(1200, 360).xMax(seconds[seconds.length - 1])
                .yAxis("connections", SvgChart.Scale.LINEAR, true)
                .line(new SvgChart.Line("spike", "#000", false, new double[] {seconds[12_344], seconds[12_345]},
                        new double[] {values[12_344], values[12_345]}))
                .line(new SvgChart.Line("range", "#000", false, new double[] {0, 1}, new double[] {10, 16}))
                .build();
        String svg = chart.svg();
        return svg.substring(svg.indexOf("<path d=\"") + 9, svg.indexOf('"', svg.indexOf("<path d=\"") + 9));
    }

    private static SvgChart lines(double[] values) {
        double[] seconds = new double[values.length];
        for (int i = 0; i < seconds.length; i++) {
            seconds[i] = i;
        }
        return SvgChart.builder("test").xMax(values.length)
                .yAxis("connections", SvgChart.Scale.LINEAR, true)
                .line(new SvgChart.Line("run", "#000", false, seconds, values))
                .build();
    }
}
