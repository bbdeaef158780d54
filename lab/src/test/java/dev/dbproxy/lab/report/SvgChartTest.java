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
