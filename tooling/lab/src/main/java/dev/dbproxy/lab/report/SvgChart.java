package dev.dbproxy.lab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One time-series chart as inline SVG: lines or stacked areas over seconds, with ticks, grid, a legend and the
 * run's timeline (load steps as bands, the idle phase shaded, marks such as the redeploy). Drawn in Java so the
 * report needs no script and no network; the SVG scales to the width of its container through its view box.
 */
final class SvgChart {

    /** How values map to the vertical axis. */
    enum Scale { LINEAR, LOG }

    /**
     * A line; NaN values break it. A point with no finite neighbour is drawn as a dot so that it stays visible.
     *
     * @param label   legend text
     * @param color   CSS colour
     * @param dashed  whether the line is dashed (graceful runs, secondary percentiles)
     * @param seconds the x values
     * @param values  the y values, same length
     */
    record Line(String label, String color, boolean dashed, double[] seconds, double[] values) {
    }

    /**
     * One layer of a stack of areas; layers are stacked in the order they are added.
     *
     * @param label  legend text
     * @param color  CSS colour
     * @param values the layer's thickness at each of the stack's seconds
     */
    record Area(String label, String color, double[] values) {
    }

    /**
     * A stretch of time shaded behind the data, such as a load step.
     *
     * @param from  start, seconds
     * @param to    end, seconds
     * @param label what to print above it when there is room
     * @param fill  CSS colour
     */
    record Band(double from, double to, String label, String fill) {
    }

    /**
     * An instant marked by a vertical line, such as the redeploy.
     *
     * @param at    seconds
     * @param label what to print above it
     * @param color CSS colour
     */
    record Mark(double at, String label, String color) {
    }

    private static final double CHAR_WIDTH = 6.4;
    private static final int LEFT = 62;
    private static final int RIGHT = 18;
    private static final int BOTTOM = 42;
    private static final int LEGEND_ROW = 18;
    private static final int TIMELINE_STRIP = 30;

    private final int width;
    private final int height;
    private final String description;
    private final double xMax;
    private final String yTitle;
    private final Scale scale;
    private final double yMin;
    private final double yMax;
    private final double yStep;
    private final boolean integerTicks;
    private final List<Band> bands;
    private final List<Mark> marks;
    private final boolean timelineLabels;
    private final List<Line> lines;
    private final double[] stackSeconds;
    private final List<Area> areas;
    private final String emptyMessage;

    private SvgChart(Builder builder) {
        this.width = builder.width;
        this.height = builder.height;
        this.description = builder.description;
        this.xMax = builder.xMax > 0 ? builder.xMax : 1;
        this.yTitle = builder.yTitle;
        this.scale = builder.scale;
        this.integerTicks = builder.integerTicks;
        this.bands = List.copyOf(builder.bands);
        this.marks = List.copyOf(builder.marks);
        this.timelineLabels = builder.timelineLabels;
        this.lines = List.copyOf(builder.lines);
        this.stackSeconds = builder.stackSeconds;
        this.areas = List.copyOf(builder.areas);
        this.emptyMessage = builder.emptyMessage;
        double[] range = yRange(builder.yMinAtMost, builder.yMaxAtLeast);
        this.yMin = range[0];
        this.yMax = range[1];
        this.yStep = range[2];
    }

    static Builder builder(String description) {
        return new Builder(description);
    }

    /** The highest value of the lines and of the stack's top, NaN-free; 0 when there is none. */
    private double dataMax() {
        double max = 0;
        for (Line line : lines) {
            for (double value : line.values()) {
                if (Double.isFinite(value)) {
                    max = Math.max(max, value);
                }
            }
        }
        for (double top : stackTops()) {
            max = Math.max(max, top);
        }
        return max;
    }

    String svg() {
        List<LegendItem> legend = legendItems();
        int legendRows = legendRows(legend);
        double plotTop = 8 + legendRows * LEGEND_ROW + (timelineLabels ? TIMELINE_STRIP : 4);
        double plotBottom = height - BOTTOM;
        Frame frame = new Frame(LEFT, width - RIGHT, plotTop, plotBottom);

        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" "
                        + "aria-label=\"%s\" preserveAspectRatio=\"xMidYMid meet\">", width, height,
                HtmlText.escape(description)));
        svg.append("<title>").append(HtmlText.escape(description)).append("</title>");
        drawBands(svg, frame);
        drawYAxis(svg, frame);
        drawXAxis(svg, frame);
        boolean areasDrawn = drawAreas(svg, frame);
        drawMarks(svg, frame);
        boolean linesDrawn = drawLines(svg, frame);
        if (!areasDrawn && !linesDrawn) {
            svg.append(String.format(Locale.ROOT, "<text class=\"empty\" x=\"%.1f\" y=\"%.1f\" "
                            + "text-anchor=\"middle\">%s</text>", (frame.left + frame.right) / 2,
                    (frame.top + frame.bottom) / 2, HtmlText.escape(emptyMessage)));
        }
        drawLegend(svg, legend);
        svg.append("</svg>");
        return svg.toString();
    }

    private double[] yRange(double yMinAtMost, double yMaxAtLeast) {
        if (scale == Scale.LOG) {
            double min = Double.POSITIVE_INFINITY;
            double max = 0;
            for (Line line : lines) {
                for (double value : line.values()) {
                    if (Double.isFinite(value) && value > 0) {
                        min = Math.min(min, value);
                        max = Math.max(max, value);
                    }
                }
            }
            max = Math.max(max, yMaxAtLeast);
            if (yMinAtMost > 0) {
                min = Math.min(min, yMinAtMost);
            }
            if (max <= 0) {
                return new double[] {1, 1000, 0};
            }
            if (min > max) {
                min = max;
            }
            double low = Math.pow(10, Math.floor(Math.log10(min)));
            double high = Math.pow(10, Math.ceil(Math.log10(max)));
            return new double[] {low, high > low ? high : low * 10, 0};
        }
        double max = Math.max(dataMax(), yMaxAtLeast);
        if (max <= 0) {
            max = integerTicks ? 5 : 1;
        }
        double step = niceStep(max / 5, integerTicks);
        return new double[] {0, Math.ceil(max * 1.04 / step) * step, step};
    }

    /** A round step (1, 2 or 5 times a power of ten) near {@code rough}; at least 1 for counts. */
    static double niceStep(double rough, boolean integer) {
        if (!(rough > 0)) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(rough)));
        double fraction = rough / power;
        double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        double step = nice * power;
        return integer ? Math.max(1, Math.round(step)) : step;
    }

    /** The values at which the vertical axis has a labelled tick. */
    List<Double> yTicks() {
        List<Double> ticks = new ArrayList<>();
        if (scale == Scale.LOG) {
            int decades = (int) Math.round(Math.log10(yMax / yMin));
            for (double decade = yMin; decade <= yMax * 1.0001; decade *= 10) {
                ticks.add(decade);
                if (decades <= 2 && decade * 10 <= yMax * 1.0001) {
                    ticks.add(decade * 2);
                    ticks.add(decade * 5);
                }
            }
            return ticks;
        }
        for (int i = 0; i * yStep <= yMax * 1.0001; i++) {
            ticks.add(i * yStep);
        }
        return ticks;
    }

    /** The values, in seconds, at which the time axis has a labelled tick. */
    List<Double> xTicks() {
        boolean minutes = xMax > 600;
        double unit = minutes ? 60 : 1;
        double step = niceStep(xMax / unit / 10, true) * unit;
        List<Double> ticks = new ArrayList<>();
        for (int i = 0; i * step <= xMax * 1.0001; i++) {
            ticks.add(i * step);
        }
        return ticks;
    }

    private void drawBands(StringBuilder svg, Frame frame) {
        for (Band band : bands) {
            double from = frame.x(Math.max(0, band.from()), xMax);
            double to = frame.x(Math.min(xMax, band.to()), xMax);
            if (to - from <= 0) {
                continue;
            }
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                    + "fill=\"%s\"/>", from, frame.top, to - from, frame.bottom - frame.top, band.fill()));
            svg.append(String.format(Locale.ROOT, "<line class=\"step\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                    + "y2=\"%.1f\"/>", from, frame.top, from, frame.bottom));
            if (timelineLabels) {
                String label = fitting(band.label(), to - from);
                if (!label.isEmpty()) {
                    svg.append(String.format(Locale.ROOT, "<text class=\"band-label\" x=\"%.1f\" y=\"%.1f\" "
                            + "text-anchor=\"middle\">%s</text>", (from + to) / 2, frame.top - 18,
                            HtmlText.escape(label)));
                }
            }
        }
    }

    /** The label, or its first word, or nothing, whichever fits the width. */
    private static String fitting(String label, double available) {
        if (label.length() * CHAR_WIDTH <= available - 4) {
            return label;
        }
        String first = label.split(" ", 2)[0];
        return first.length() * CHAR_WIDTH <= available - 4 ? first : "";
    }

    private void drawMarks(StringBuilder svg, Frame frame) {
        for (Mark mark : marks) {
            if (mark.at() < 0 || mark.at() > xMax) {
                continue;
            }
            double x = frame.x(mark.at(), xMax);
            svg.append(String.format(Locale.ROOT, "<line class=\"mark\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                    + "y2=\"%.1f\" stroke=\"%s\"/>", x, frame.top, x, frame.bottom,
                    mark.color()));
            if (timelineLabels) {
                svg.append(String.format(Locale.ROOT, "<text class=\"mark-label\" x=\"%.1f\" y=\"%.1f\" "
                        + "text-anchor=\"middle\" fill=\"%s\">%s</text>", x, frame.top - 4, mark.color(),
                        HtmlText.escape(mark.label())));
            }
        }
    }

    private void drawYAxis(StringBuilder svg, Frame frame) {
        for (double tick : yTicks()) {
            double y = frame.y(value(tick));
            svg.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                    + "y2=\"%.1f\"/>", frame.left, y, frame.right, y));
            svg.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" "
                    + "text-anchor=\"end\">%s</text>", frame.left - 6, y + 4, tickLabel(tick)));
        }
        svg.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                + "y2=\"%.1f\"/>", frame.left, frame.top, frame.left, frame.bottom));
        svg.append(String.format(Locale.ROOT, "<text class=\"axis-title\" transform=\"translate(14 %.1f) "
                + "rotate(-90)\" text-anchor=\"middle\">%s</text>", (frame.top + frame.bottom) / 2,
                HtmlText.escape(yTitle + (scale == Scale.LOG ? " (log scale)" : ""))));
    }

    private void drawXAxis(StringBuilder svg, Frame frame) {
        boolean minutes = xMax > 600;
        for (double tick : xTicks()) {
            double x = frame.x(tick, xMax);
            svg.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                    + "y2=\"%.1f\"/>", x, frame.bottom, x, frame.bottom + 5));
            svg.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" "
                    + "text-anchor=\"middle\">%s</text>", x, frame.bottom + 18,
                    tickLabel(minutes ? tick / 60 : tick)));
        }
        svg.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                + "y2=\"%.1f\"/>", frame.left, frame.bottom, frame.right, frame.bottom));
        svg.append(String.format(Locale.ROOT, "<text class=\"axis-title\" x=\"%.1f\" y=\"%.1f\" "
                        + "text-anchor=\"middle\">%s</text>", (frame.left + frame.right) / 2, frame.bottom + 36,
                minutes ? "minutes since the load started" : "seconds since the load started"));
    }

    private boolean drawLines(StringBuilder svg, Frame frame) {
        boolean any = false;
        for (Line line : lines) {
            StringBuilder path = new StringBuilder();
            List<double[]> dots = new ArrayList<>();
            for (List<double[]> segment : segments(line, frame)) {
                any = true;
                if (segment.size() == 1) {
                    dots.add(segment.getFirst());
                    continue;
                }
                for (int i = 0; i < segment.size(); i++) {
                    path.append(i == 0 ? 'M' : 'L').append(fmt(segment.get(i)[0])).append(' ')
                            .append(fmt(segment.get(i)[1]));
                }
            }
            String dash = line.dashed() ? " stroke-dasharray=\"6 4\"" : "";
            svg.append("<g class=\"series\"><title>").append(HtmlText.escape(line.label())).append("</title>");
            if (!path.isEmpty()) {
                svg.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" "
                        + "stroke-width=\"1.8\" stroke-linejoin=\"round\"%s/>", path, line.color(), dash));
            }
            for (double[] dot : dots) {
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.6\" fill=\"%s\"/>",
                        dot[0], dot[1], line.color()));
            }
            svg.append("</g>");
        }
        return any;
    }

    /**
     * The line's runs of plottable points in SVG coordinates, split where a value is missing. Within one pixel
     * column only the first, lowest, highest and last points are kept: a long run (the seed profile samples
     * thousands of times) then costs a few points per pixel, and every peak still shows.
     */
    private List<List<double[]>> segments(Line line, Frame frame) {
        List<List<double[]>> segments = new ArrayList<>();
        List<double[]> segment = new ArrayList<>();
        int n = Math.min(line.seconds().length, line.values().length);
        for (int i = 0; i < n; i++) {
            double seconds = line.seconds()[i];
            double value = line.values()[i];
            if (!plottable(value) || !Double.isFinite(seconds)) {
                if (!segment.isEmpty()) {
                    segments.add(decimated(segment));
                    segment = new ArrayList<>();
                }
                continue;
            }
            segment.add(new double[] {frame.x(Math.min(xMax, Math.max(0, seconds)), xMax), frame.y(value(value))});
        }
        if (!segment.isEmpty()) {
            segments.add(decimated(segment));
        }
        return segments;
    }

    private static List<double[]> decimated(List<double[]> points) {
        List<double[]> kept = new ArrayList<>();
        int start = 0;
        while (start < points.size()) {
            double column = Math.floor(points.get(start)[0]);
            int end = start;
            int lowest = start;
            int highest = start;
            while (end < points.size() && Math.floor(points.get(end)[0]) == column) {
                lowest = points.get(end)[1] > points.get(lowest)[1] ? end : lowest;
                highest = points.get(end)[1] < points.get(highest)[1] ? end : highest;
                end++;
            }
            int last = end - 1;
            int[] order = {start, Math.min(lowest, highest), Math.max(lowest, highest), last};
            int previous = -1;
            for (int index : order) {
                if (index != previous) {
                    kept.add(points.get(index));
                    previous = index;
                }
            }
            start = end;
        }
        return kept;
    }

    private boolean drawAreas(StringBuilder svg, Frame frame) {
        if (areas.isEmpty() || stackSeconds.length == 0) {
            return false;
        }
        int[] kept = peakPerPixel(frame);
        int n = kept.length;
        double[] below = new double[n];
        boolean any = false;
        for (Area area : areas) {
            double[] above = new double[n];
            for (int k = 0; k < n; k++) {
                int i = kept[k];
                double value = i < area.values().length && Double.isFinite(area.values()[i]) ? area.values()[i] : 0;
                above[k] = below[k] + Math.max(0, value);
                any |= value > 0;
            }
            StringBuilder path = new StringBuilder();
            for (int k = 0; k < n; k++) {
                path.append(k == 0 ? 'M' : 'L').append(fmt(frame.x(stackSeconds[kept[k]], xMax))).append(' ')
                        .append(fmt(frame.y(value(above[k]))));
            }
            if (n == 1) {
                path.append('L').append(fmt(frame.x(stackSeconds[kept[0]], xMax) + 2)).append(' ')
                        .append(fmt(frame.y(value(above[0]))));
                path.append('L').append(fmt(frame.x(stackSeconds[kept[0]], xMax) + 2)).append(' ')
                        .append(fmt(frame.y(value(below[0]))));
            }
            for (int k = n - 1; k >= 0; k--) {
                path.append('L').append(fmt(frame.x(stackSeconds[kept[k]], xMax))).append(' ')
                        .append(fmt(frame.y(value(below[k]))));
            }
            path.append('Z');
            svg.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"%s\" fill-opacity=\"0.85\" stroke=\"none\">"
                    + "<title>%s</title></path>", path, area.color(), HtmlText.escape(area.label())));
            below = above;
        }
        return any;
    }

    /** The indexes of the stack's samples to draw: per pixel column, the one where the stack is highest. */
    private int[] peakPerPixel(Frame frame) {
        double[] tops = stackTops();
        List<Integer> kept = new ArrayList<>();
        double column = Double.NaN;
        for (int i = 0; i < stackSeconds.length; i++) {
            double pixel = Math.floor(frame.x(stackSeconds[i], xMax));
            if (pixel != column) {
                kept.add(i);
                column = pixel;
            } else if (tops[i] > tops[kept.getLast()]) {
                kept.set(kept.size() - 1, i);
            }
        }
        return kept.stream().mapToInt(Integer::intValue).toArray();
    }

    private double[] stackTops() {
        double[] tops = new double[stackSeconds.length];
        for (Area area : areas) {
            for (int i = 0; i < tops.length && i < area.values().length; i++) {
                if (Double.isFinite(area.values()[i])) {
                    tops[i] += Math.max(0, area.values()[i]);
                }
            }
        }
        return tops;
    }

    /** One entry of the legend: a line sample (solid or dashed) or a filled box for an area. */
    private record LegendItem(String label, String color, boolean area, boolean dashed) {
    }

    private List<LegendItem> legendItems() {
        List<LegendItem> items = new ArrayList<>();
        for (Line line : lines) {
            items.add(new LegendItem(line.label(), line.color(), false, line.dashed()));
        }
        for (Area area : areas) {
            items.add(new LegendItem(area.label(), area.color(), true, false));
        }
        return items;
    }

    private int legendRows(List<LegendItem> items) {
        if (items.isEmpty()) {
            return 0;
        }
        int rows = 1;
        double x = LEFT;
        for (LegendItem item : items) {
            double itemWidth = legendItemWidth(item.label());
            if (x + itemWidth > width - RIGHT && x > LEFT) {
                rows++;
                x = LEFT;
            }
            x += itemWidth;
        }
        return rows;
    }

    private void drawLegend(StringBuilder svg, List<LegendItem> items) {
        double x = LEFT;
        double y = 8 + LEGEND_ROW / 2.0;
        for (LegendItem item : items) {
            double itemWidth = legendItemWidth(item.label());
            if (x + itemWidth > width - RIGHT && x > LEFT) {
                x = LEFT;
                y += LEGEND_ROW;
            }
            if (item.area()) {
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"22\" height=\"10\" "
                        + "fill=\"%s\" fill-opacity=\"0.85\"/>", x, y - 5, item.color()));
            } else {
                svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                        + "stroke=\"%s\" stroke-width=\"3\"%s/>", x, y, x + 22, y, item.color(),
                        item.dashed() ? " stroke-dasharray=\"6 4\"" : ""));
            }
            svg.append(String.format(Locale.ROOT, "<text class=\"legend\" x=\"%.1f\" y=\"%.1f\">%s</text>",
                    x + 28, y + 4, HtmlText.escape(item.label())));
            x += itemWidth;
        }
    }

    private static double legendItemWidth(String label) {
        return 28 + label.length() * CHAR_WIDTH + 22;
    }

    private boolean plottable(double value) {
        return Double.isFinite(value) && (scale == Scale.LINEAR || value > 0);
    }

    /** The value as a fraction of the vertical axis, 0 at the bottom. */
    private double value(double value) {
        if (scale == Scale.LOG) {
            double clamped = Math.max(yMin, Math.min(yMax, value));
            return Math.log10(clamped / yMin) / Math.log10(yMax / yMin);
        }
        return Math.max(0, Math.min(1, (value - yMin) / (yMax - yMin)));
    }

    private static String tickLabel(double value) {
        if (value == Math.rint(value)) {
            return String.format(Locale.ROOT, "%,d", (long) value);
        }
        return String.format(Locale.ROOT, "%s", stripZeros(value));
    }

    private static String stripZeros(double value) {
        String text = String.format(Locale.ROOT, "%.3f", value);
        return text.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    /** The plotting area in SVG units. */
    private record Frame(double left, double right, double top, double bottom) {
        double x(double seconds, double xMax) {
            return left + (right - left) * seconds / xMax;
        }

        double y(double fraction) {
            return bottom - (bottom - top) * fraction;
        }
    }

    /** Collects a chart's parts; only the description is required. */
    static final class Builder {
        private final String description;
        private int width = 1200;
        private int height = 360;
        private double xMax = 1;
        private String yTitle = "";
        private Scale scale = Scale.LINEAR;
        private double yMaxAtLeast;
        private double yMinAtMost;
        private boolean integerTicks;
        private final List<Band> bands = new ArrayList<>();
        private final List<Mark> marks = new ArrayList<>();
        private boolean timelineLabels = true;
        private final List<Line> lines = new ArrayList<>();
        private double[] stackSeconds = new double[0];
        private final List<Area> areas = new ArrayList<>();
        private String emptyMessage = "no data";

        private Builder(String description) {
            this.description = description;
        }

        Builder size(int width, int height) {
            this.width = width;
            this.height = height;
            return this;
        }

        /** The time axis runs from 0 to this many seconds, shared by every chart of a report. */
        Builder xMax(double seconds) {
            this.xMax = seconds;
            return this;
        }

        Builder yAxis(String title, Scale scale, boolean integerTicks) {
            this.yTitle = title;
            this.scale = scale;
            this.integerTicks = integerTicks;
            return this;
        }

        /** Extends the vertical axis to at least this value, so that small multiples share one scale. */
        Builder yMaxAtLeast(double value) {
            this.yMaxAtLeast = value;
            return this;
        }

        /** Extends a logarithmic axis down to at least this positive value, for the same reason. */
        Builder yMinAtMost(double value) {
            this.yMinAtMost = value;
            return this;
        }

        /** Replaces the bands and marks; {@code labels} prints their labels above the plot. */
        Builder timeline(List<Band> bands, List<Mark> marks, boolean labels) {
            this.bands.clear();
            this.bands.addAll(bands);
            this.marks.clear();
            this.marks.addAll(marks);
            this.timelineLabels = labels;
            return this;
        }

        Builder line(Line line) {
            this.lines.add(line);
            return this;
        }

        Builder stack(double[] seconds, List<Area> areas) {
            this.stackSeconds = seconds.clone();
            this.areas.addAll(areas);
            return this;
        }

        Builder emptyMessage(String message) {
            this.emptyMessage = message;
            return this;
        }

        SvgChart build() {
            return new SvgChart(this);
        }
    }
}
