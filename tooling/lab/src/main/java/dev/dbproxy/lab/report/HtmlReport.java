package dev.dbproxy.lab.report;

import dev.dbproxy.lab.measure.DatabaseConnections;
import dev.dbproxy.lab.result.ComparisonResult;
import dev.dbproxy.lab.result.Configuration;
import dev.dbproxy.lab.result.LabSettings;
import dev.dbproxy.lab.result.LoadStep;
import dev.dbproxy.lab.result.Pricing;
import dev.dbproxy.lab.result.RunEvent;
import dev.dbproxy.lab.result.Sample;
import dev.dbproxy.lab.result.StrategyRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The comparison as one self-contained HTML file: settings and prices, the summary table and four charts
 * (database connections, requests per second, latency, execution environments) on one shared time axis with the
 * load steps, the redeploy and the idle phase marked. Styles and charts are inline (CSS and SVG drawn here), so the
 * file opens anywhere, offline, and renders the same in a headless browser for a screenshot.
 *
 * <pre>{@code
 * HtmlReport.of(result).writeTo(Path.of("target/lab/report.html"));
 * }</pre>
 */
public final class HtmlReport {

    private static final String REDEPLOY_COLOR = "#7e22ce";
    private static final String LOAD_END_COLOR = "#475569";
    private static final String IDLE_FILL = "#fdf6dc";
    private static final String[] STEP_FILLS = {"#f1f5f9", "#f8fafc"};
    private static final String BUSY_COLOR = "#0f766e";
    private static final String IDLE_COLOR = "#5eead4";
    private static final String ZOMBIE_COLOR = "#be123c";
    private static final String[] OTHER_COLORS = {"#7c3aed", "#15803d", "#a16207", "#db2777"};

    private static final DateTimeFormatter STARTED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final ComparisonResult result;
    private final SummaryTable table;
    private final double xMax;
    private final Timeline timeline;

    private HtmlReport(ComparisonResult result) {
        this.result = result;
        this.table = SummaryTable.of(result);
        this.xMax = timeAxisEnd(result);
        this.timeline = Timeline.of(result, xMax);
    }

    /** The report of a comparison. */
    public static HtmlReport of(ComparisonResult result) {
        return new HtmlReport(result);
    }

    /** The whole HTML document. It is also well-formed XML, which keeps it easy to check. */
    public String render() {
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<title>DB proxy lab: direct vs lambda-proxy, on Lambda and managed instances</title>\n<style>")
                .append(STYLE).append("</style>\n</head>\n<body>\n<main>\n");
        header(html);
        howToRead(html);
        connectionsChart(html);
        summary(html);
        verdict(html);
        settings(html);
        requestsChart(html);
        latencyCharts(html);
        environmentCharts(html);
        html.append("</main>\n</body>\n</html>\n");
        return html.toString();
    }

    /**
     * Writes the report to a UTF-8 file, replacing it if it exists.
     *
     * @throws UncheckedIOException if the file cannot be written
     */
    public void writeTo(Path file) {
        try {
            Files.writeString(file, render(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the HTML report to " + file, e);
        }
    }

    private void header(StringBuilder html) {
        LabSettings settings = result.settings();
        html.append("<header>\n<h1>DB proxy lab: <span class=\"direct\">direct</span> vs ")
                .append("<span class=\"proxy\">lambda-proxy</span></h1>\n<p class=\"meta\">")
                .append(escape(String.format(Locale.ROOT, "Started %s UTC · profile %s · %d business functions · "
                                + "proxy reserved concurrency %d · %s database · target %s",
                        STARTED.format(result.startedAt()), settings.profile(), settings.businessFunctions(),
                        settings.proxyReservedConcurrency(), settings.database(), settings.target())))
                .append("</p>\n</header>\n");
        if (!table.headline().isEmpty()) {
            html.append("<p class=\"headline\">").append(escape(table.headline())).append("</p>\n");
        }
    }

    private static void howToRead(StringBuilder html) {
        html.append("<section class=\"card how\">\n<h2>How to read this report</h2>\n<p>")
                .append("Each run drove the same staircase of virtual users (each looping <code>GET /notes</code> ")
                .append("and <code>GET /notes/{id}</code>) against a fresh platform and a fresh database. ")
                .append("In <b>direct</b> runs every business-function environment opens its own MongoDB ")
                .append("connections; in <b>lambda-proxy</b> runs the business functions invoke one proxy function, ")
                .append("whose reserved concurrency caps the connections. <b>abandon</b> runs reclaim idle ")
                .append("environments the way Lambda does without an extension: their sockets stay open as zombie ")
                .append("connections until the database drops them; <b>graceful</b> runs (dashed lines) close ")
                .append("the connections first.</p>\n<p>")
                .append("All charts share one time axis. Grey bands are the load steps (users above them), the ")
                .append("purple dashed line is the redeploy of the business functions, the pale yellow band is ")
                .append("the idle phase ")
                .append("after the load. Start with the connections chart: the gap between the lines is what the ")
                .append("proxy saves, and the ratio column of the summary gives it as a number. Latencies are ")
                .append("measured by the load tool per sampling interval; costs are estimates from AWS list prices.")
                .append("</p>\n</section>\n");
    }

    private void settings(StringBuilder html) {
        LabSettings s = result.settings();
        Pricing p = result.pricing();
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put(s.businessFunctions() > 2 ? "load steps (per pair of functions)" : "load steps", steps(s.steps()));
        entries.put("business functions", String.valueOf(s.businessFunctions()));
        entries.put("proxy reserved concurrency", String.valueOf(s.proxyReservedConcurrency()));
        entries.put("redeploy at", seconds(s.redeployAtSeconds()));
        entries.put("idle phase", seconds(s.idleSeconds()));
        entries.put("environment reclaimed after idle", seconds(s.idleReclaimSeconds()));
        entries.put("zombie connection lifetime", seconds(s.zombieLifetimeSeconds()));
        entries.put("sample interval", s.sampleIntervalMillis() + " ms");
        entries.put("database", s.database());
        entries.put("target", s.target());
        entries.put("prices", String.format(Locale.ROOT, "%s %s, as of %s", p.region(), p.architecture(), p.asOf()));
        entries.put("per million invocations", String.format(Locale.ROOT, "$%.2f", p.usdPerMillionRequests()));
        entries.put("per GB-second", String.format(Locale.ROOT, "$%s", plain(p.usdPerGbSecond())));
        entries.put("price source", p.source());
        Pricing.ManagedInstancesPricing m = p.managedInstances();
        entries.put("managed instances: per million requests", String.format(Locale.ROOT, "$%.2f",
                m.usdPerMillionRequests()));
        entries.put("managed instances: management fee", String.format(Locale.ROOT,
                "%s%% of the EC2 on-demand price, as of %s", plain(m.managementFeeShare() * 100), m.asOf()));
        entries.put("managed instances: price source", m.source());
        entries.put("instance type", String.format(Locale.ROOT, "%s (%d vCPU, %s GiB), $%s per hour on demand, as of %s",
                m.instanceType(), m.instanceVCpus(), plain(m.instanceMemoryGiB()), plain(m.usdPerInstanceHour()),
                m.instancePriceAsOf()));
        entries.put("instance price source", m.instancePriceSource());
        entries.put("managed instances billing", SummaryTable.MANAGED_INSTANCES_COST_NOTE);
        html.append("<section class=\"card\">\n<h2>Settings and prices</h2>\n<dl class=\"settings\">\n");
        entries.forEach((key, value) -> html.append(value.length() > 36 ? "<div class=\"wide\">" : "<div>")
                .append("<dt>").append(escape(key)).append("</dt><dd>").append(escape(value)).append("</dd></div>\n"));
        html.append("</dl>\n</section>\n");
    }

    private void verdict(StringBuilder html) {
        if (table.verdict().isEmpty()) {
            return;
        }
        html.append("<section class=\"card verdict\">\n<h2>Verdict</h2>\n<ul>\n");
        table.verdict().forEach(line -> html.append("<li>").append(escape(line)).append("</li>\n"));
        html.append("</ul>\n");
        if (table.runs().stream().anyMatch(run -> run.configuration().anyOnManagedInstances())) {
            html.append("<p class=\"caption\">").append(escape(SummaryTable.MANAGED_INSTANCES_COST_NOTE))
                    .append(' ').append(escape(SummaryTable.MANAGED_INSTANCES_CONNECTIONS_NOTE)).append("</p>\n");
        }
        html.append("</section>\n");
    }

    private void summary(StringBuilder html) {
        html.append("<section class=\"card\">\n<h2>Summary</h2>\n<table class=\"summary\">\n<thead><tr><th></th>");
        for (StrategyRun run : table.runs()) {
            html.append("<th><span class=\"swatch\" style=\"background:").append(color(run)).append("\"></span>")
                    .append(escape(run.strategy())).append("<br/><span class=\"mode\">")
                    .append(escape(run.configuration().computeLabel())).append("</span><br/><span class=\"mode\">(")
                    .append(escape(run.reclaimMode())).append(")</span></th>");
        }
        if (table.hasRatio()) {
            html.append("<th class=\"ratio\">").append(escape(SummaryTable.RATIO_HEADER))
                    .append("<br/><span class=\"mode\">(abandon)</span></th>");
        }
        html.append("</tr></thead>\n");
        int columns = 1 + table.runs().size() + (table.hasRatio() ? 1 : 0);
        for (SummaryTable.Section section : table.sections()) {
            html.append("<tbody><tr class=\"section\"><th colspan=\"").append(columns).append("\">")
                    .append(escape(section.title())).append("</th></tr>\n");
            for (SummaryTable.Row row : section.rows()) {
                html.append(row.headline() ? "<tr class=\"headline-row\">" : "<tr>").append("<th>")
                        .append(escape(row.label())).append("</th>");
                for (String cell : row.cells()) {
                    html.append("<td>").append(escape(cell)).append("</td>");
                }
                if (table.hasRatio()) {
                    html.append("<td class=\"ratio\">").append(escape(row.ratio())).append("</td>");
                }
                html.append("</tr>\n");
            }
            html.append("</tbody>\n");
        }
        html.append("</table>\n</section>\n");
    }

    private void connectionsChart(StringBuilder html) {
        SvgChart.Builder chart = chart("Database connections over time, every run", 1200, 400)
                .yAxis("connections", SvgChart.Scale.LINEAR, true)
                .emptyMessage("no samples");
        for (StrategyRun run : result.runs()) {
            chart.line(line(run, run.label(), Sample::ownConnections, isGraceful(run)));
        }
        figure(html, "Database connections", "Each run's own connections: those whose appName is one of its "
                + "functions ($currentOp with idleConnections), sampled every "
                + result.settings().sampleIntervalMillis() + " ms; the lab's own measuring client ("
                + DatabaseConnections.APP_NAME + ") and connections left by earlier runs are not counted. The "
                + "summary has each function's peak and the server's total (serverStatus).", chart.build().svg());
    }

    private void requestsChart(StringBuilder html) {
        SvgChart.Builder chart = chart("Requests per second over time, every run", 1200, 280)
                .yAxis("requests / s", SvgChart.Scale.LINEAR, false)
                .emptyMessage("no samples");
        for (StrategyRun run : result.runs()) {
            chart.line(line(run, run.label(), Sample::requestsPerSecond, isGraceful(run)));
        }
        figure(html, "Requests per second", "Requests completed per sampling interval, all business functions "
                + "together.", chart.build().svg());
    }

    private void latencyCharts(StringBuilder html) {
        double max = 0;
        double min = Double.POSITIVE_INFINITY;
        for (StrategyRun run : result.runs()) {
            for (Sample sample : run.samples()) {
                for (double value : new double[] {sample.p50Millis(), sample.p99Millis()}) {
                    if (Double.isFinite(value) && value > 0) {
                        max = Math.max(max, value);
                        min = Math.min(min, value);
                    }
                }
            }
        }
        List<String> figures = new ArrayList<>();
        for (StrategyRun run : result.runs()) {
            SvgChart.Builder chart = chart("Latency p50 and p99 over time, " + run.label(), 600, 300)
                    .timeline(timeline.bands(), timeline.marks(), false)
                    .yAxis("ms", SvgChart.Scale.LOG, false)
                    .yMaxAtLeast(max)
                    .yMinAtMost(Double.isFinite(min) ? min : 0)
                    .emptyMessage(run.samples().isEmpty() ? "no samples" : "no requests completed")
                    .line(line(run, "p99", Sample::p99Millis, false))
                    .line(line(run, "p50", Sample::p50Millis, true));
            figures.add(small(run, chart.build().svg()));
        }
        grid(html, "Latency", "Client-side latency of the requests completed in each sampling interval: "
                + "p99 solid, p50 dashed, same logarithmic scale for every run.", figures);
    }

    private void environmentCharts(StringBuilder html) {
        double max = 0;
        for (StrategyRun run : result.runs()) {
            for (Sample sample : run.samples()) {
                max = Math.max(max, total(sample, Sample.EnvironmentCounts::live)
                        + total(sample, Sample.EnvironmentCounts::zombie));
            }
        }
        List<String> figures = new ArrayList<>();
        for (StrategyRun run : result.runs()) {
            List<Sample> samples = run.samples();
            int n = samples.size();
            double[] seconds = new double[n];
            double[] busy = new double[n];
            double[] idle = new double[n];
            double[] zombie = new double[n];
            boolean anyCounts = false;
            for (int i = 0; i < n; i++) {
                Sample sample = samples.get(i);
                seconds[i] = sample.seconds();
                busy[i] = total(sample, Sample.EnvironmentCounts::busy);
                idle[i] = Math.max(0, total(sample, Sample.EnvironmentCounts::live) - busy[i]);
                zombie[i] = total(sample, Sample.EnvironmentCounts::zombie);
                anyCounts |= !sample.environments().isEmpty();
            }
            SvgChart.Builder chart = chart("Execution environments over time, " + run.label(), 600, 300)
                    .timeline(timeline.bands(), timeline.marks(), false)
                    .yAxis("environments", SvgChart.Scale.LINEAR, true)
                    .yMaxAtLeast(max)
                    .emptyMessage(n == 0 ? "no samples"
                            : anyCounts ? "no environments" : "no environment counts (deployed target)")
                    .stack(seconds, List.of(
                            new SvgChart.Area("busy", BUSY_COLOR, busy),
                            new SvgChart.Area("idle", IDLE_COLOR, idle),
                            new SvgChart.Area("zombie", ZOMBIE_COLOR, zombie)));
            figures.add(small(run, chart.build().svg()));
        }
        grid(html, "Execution environments", "Live environments (busy and idle) and zombies, all functions "
                + "together, stacked. A zombie is an environment reclaimed without closing its sockets: its "
                + "connections stay open until their lifetime ends.", figures);
    }

    private SvgChart.Builder chart(String description, int width, int height) {
        return SvgChart.builder(description).size(width, height).xMax(xMax)
                .timeline(timeline.bands(), timeline.marks(), true);
    }

    private static SvgChart.Line line(StrategyRun run, String label, ToDoubleFunction<Sample> value,
            boolean dashed) {
        List<Sample> samples = run.samples();
        double[] seconds = new double[samples.size()];
        double[] values = new double[samples.size()];
        for (int i = 0; i < samples.size(); i++) {
            seconds[i] = samples.get(i).seconds();
            values[i] = value.applyAsDouble(samples.get(i));
        }
        return new SvgChart.Line(label, color(run), dashed, seconds, values);
    }

    private static void figure(StringBuilder html, String title, String caption, String svg) {
        html.append("<section class=\"card\">\n<h2>").append(escape(title)).append("</h2>\n<p class=\"caption\">")
                .append(escape(caption)).append("</p>\n").append(svg).append("\n</section>\n");
    }

    private static String small(StrategyRun run, String svg) {
        return "<figure><figcaption><span class=\"swatch\" style=\"background:" + color(run) + "\"></span>"
                + escape(run.label()) + "</figcaption>" + svg + "</figure>";
    }

    private static void grid(StringBuilder html, String title, String caption, List<String> figures) {
        html.append("<section class=\"card\">\n<h2>").append(escape(title)).append("</h2>\n<p class=\"caption\">")
                .append(escape(caption)).append("</p>\n<div class=\"multiples\">\n");
        if (figures.isEmpty()) {
            html.append("<p class=\"caption\">no runs</p>\n");
        }
        figures.forEach(figure -> html.append(figure).append('\n'));
        html.append("</div>\n</section>\n");
    }

    private static double total(Sample sample, ToDoubleFunction<Sample.EnvironmentCounts> count) {
        return sample.environments().values().stream().mapToDouble(count).sum();
    }

    /** Graceful runs on Lambda are dashed; managed instances are always graceful and have colours of their own. */
    private static boolean isGraceful(StrategyRun run) {
        return run.reclaimMode().equals("graceful") && !run.configuration().anyOnManagedInstances();
    }

    /**
     * Orange for direct, blue for the proxy, lighter for graceful runs, so a colour always means a strategy; brown,
     * violet and green for the three configurations with managed instances.
     */
    static String color(StrategyRun run) {
        boolean graceful = isGraceful(run);
        if (run.configuration().equals(Configuration.DIRECT_MANAGED)) {
            return "#92400e";
        }
        if (run.configuration().equals(Configuration.LAMBDA_PROXY_MANAGED)) {
            return "#7c3aed";
        }
        if (run.configuration().equals(Configuration.PROXY_ON_MANAGED)) {
            return "#15803d";
        }
        return switch (run.strategy()) {
            case SummaryTable.DIRECT -> graceful ? "#f59e0b" : "#ea580c";
            case SummaryTable.PROXY -> graceful ? "#60a5fa" : "#1d4ed8";
            default -> OTHER_COLORS[Math.floorMod(run.label().hashCode(), OTHER_COLORS.length)];
        };
    }

    /** The end of the shared time axis: the last sample or event of any run. */
    private static double timeAxisEnd(ComparisonResult result) {
        double end = 0;
        for (StrategyRun run : result.runs()) {
            for (Sample sample : run.samples()) {
                end = Math.max(end, sample.seconds());
            }
            for (RunEvent event : run.events()) {
                end = Math.max(end, event.seconds());
            }
        }
        return end > 0 ? end : 1;
    }

    /**
     * What every chart marks behind its data: the load steps as bands, the idle phase shaded, the redeploy and the end
     * of the load as lines. The runs follow the same script and their timings differ by milliseconds, so the steps
     * and the end of the load come from the first run that has events (from the settings if none has), and the
     * redeploy from the first run that redeployed.
     */
    private record Timeline(List<SvgChart.Band> bands, List<SvgChart.Mark> marks) {

        static Timeline of(ComparisonResult result, double xMax) {
            List<RunEvent> events = result.runs().stream().map(StrategyRun::events).filter(list -> !list.isEmpty())
                    .findFirst().orElseGet(() -> eventsFromSettings(result.settings()));
            double loadEnd = events.stream().filter(event -> event.kind().equals("load-end"))
                    .mapToDouble(RunEvent::seconds).findFirst().orElse(xMax);
            List<RunEvent> steps = events.stream().filter(event -> event.kind().equals("step")).toList();
            List<SvgChart.Band> bands = new ArrayList<>();
            List<SvgChart.Mark> marks = new ArrayList<>();
            for (int i = 0; i < steps.size(); i++) {
                double to = i + 1 < steps.size() ? steps.get(i + 1).seconds() : loadEnd;
                bands.add(new SvgChart.Band(steps.get(i).seconds(), to, steps.get(i).label(),
                        STEP_FILLS[i % STEP_FILLS.length]));
            }
            result.runs().stream().flatMap(run -> run.events().stream())
                    .filter(event -> event.kind().equals("redeploy")).findFirst()
                    .ifPresent(redeploy -> marks.add(
                            new SvgChart.Mark(redeploy.seconds(), redeploy.label(), REDEPLOY_COLOR)));
            if (loadEnd < xMax) {
                bands.add(new SvgChart.Band(loadEnd, xMax, "idle phase", IDLE_FILL));
                marks.add(new SvgChart.Mark(loadEnd, "", LOAD_END_COLOR));
            }
            return new Timeline(List.copyOf(bands), List.copyOf(marks));
        }
    }

    private static List<RunEvent> eventsFromSettings(LabSettings settings) {
        List<RunEvent> events = new ArrayList<>();
        double at = 0;
        for (LoadStep step : settings.steps()) {
            events.add(new RunEvent(at, "step", step.users() + " users"
                    + (settings.businessFunctions() > 2 ? " per pair" : "")));
            at += step.durationSeconds();
        }
        if (!events.isEmpty()) {
            events.add(new RunEvent(at, "load-end", "load ends"));
        }
        return events;
    }

    private static String steps(List<LoadStep> steps) {
        if (steps.isEmpty()) {
            return "none";
        }
        boolean sameLength = steps.stream().mapToDouble(LoadStep::durationSeconds).distinct().count() == 1;
        if (sameLength) {
            return String.join(", ", steps.stream().map(step -> String.valueOf(step.users())).toList())
                    + " users, " + seconds(steps.getFirst().durationSeconds()) + " each";
        }
        return String.join(", ", steps.stream()
                .map(step -> step.users() + " users for " + seconds(step.durationSeconds())).toList());
    }

    private static String seconds(double seconds) {
        return plain(seconds) + " s";
    }

    private static String plain(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static String escape(String text) {
        return HtmlText.escape(text);
    }

    private static final String STYLE = """
            :root { color-scheme: light; }
            * { box-sizing: border-box; }
            body { margin: 0; background: #f1f5f9; color: #0f172a;
              font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", "Liberation Sans",
              Arial, sans-serif; }
            main { max-width: 1280px; margin: 0 auto; padding: 24px 24px 48px; }
            header h1 { margin: 0 0 4px; font-size: 26px; letter-spacing: -0.01em; }
            header h1 .direct { color: #ea580c; }
            header h1 .proxy { color: #1d4ed8; }
            .meta { margin: 0 0 14px; color: #475569; }
            .headline { margin: 0 0 16px; padding: 12px 16px; border-left: 5px solid #1d4ed8; background: #ffffff;
              border-radius: 6px; font-size: 17px; font-weight: 600; box-shadow: 0 1px 2px rgba(15,23,42,0.08); }
            .card { background: #ffffff; border: 1px solid #e2e8f0; border-radius: 8px; padding: 14px 18px 16px;
              margin: 0 0 16px; box-shadow: 0 1px 2px rgba(15,23,42,0.06); }
            h2 { margin: 0 0 6px; font-size: 17px; }
            .how p { margin: 0 0 6px; color: #334155; }
            code { font-size: 12.5px; background: #f1f5f9; padding: 0 3px; border-radius: 3px; }
            .caption { margin: 0 0 8px; color: #475569; font-size: 13px; }
            .settings { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 6px 18px; margin: 0; }
            .settings div { min-width: 0; }
            .settings div.wide { grid-column: span 2; }
            .settings dt { color: #64748b; font-size: 12px; }
            .settings dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
            table.summary { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
            .summary th, .summary td { padding: 2px 12px; border-bottom: 1px solid #e2e8f0; }
            .summary thead th { text-align: right; vertical-align: bottom; border-bottom: 2px solid #cbd5e1; }
            .summary tbody th { text-align: left; font-weight: 500; color: #334155; }
            .summary td { text-align: right; }
            .summary tr.section th { padding-top: 8px; font-weight: 700; color: #0f172a; text-transform: uppercase;
              font-size: 11.5px; letter-spacing: 0.06em; border-bottom: 1px solid #cbd5e1; }
            .summary .ratio { background: #eff6ff; font-weight: 600; }
            .summary tr.headline-row th, .summary tr.headline-row td { font-weight: 700; background: #fefce8; }
            .summary tr.headline-row td.ratio { background: #fde68a; }
            .verdict ul { margin: 0 0 6px; padding-left: 20px; font-weight: 600; }
            .mode { color: #64748b; font-weight: 400; font-size: 12px; }
            .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; }
            .multiples { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 8px 20px; }
            figure { margin: 0; }
            figcaption { font-weight: 600; font-size: 13px; margin: 4px 0 0; }
            svg.chart { display: block; width: 100%; height: auto; }
            svg.chart text { font-family: inherit; }
            .tick { font-size: 11px; fill: #475569; }
            .axis-title { font-size: 11.5px; fill: #334155; }
            .legend { font-size: 12px; fill: #0f172a; }
            .band-label { font-size: 11px; fill: #475569; }
            .mark-label { font-size: 11px; font-weight: 600; }
            .empty { font-size: 14px; fill: #64748b; }
            line.grid { stroke: #e2e8f0; stroke-width: 1; }
            line.axis { stroke: #94a3b8; stroke-width: 1; }
            line.step { stroke: #cbd5e1; stroke-width: 1; }
            line.mark { stroke-width: 1.6; stroke-dasharray: 5 3; }
            """;
}
