package dev.dbproxy.lab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbproxy.lab.result.ComparisonResult;
import dev.dbproxy.lab.result.StrategyRun;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

class HtmlReportTest {

    private static final Pattern RESOURCE_ATTRIBUTE = Pattern.compile(
            "\\b(?:src|href|xlink:href|srcset|action|data)\\s*=\\s*[\"']?([^\"'\\s>]*)", Pattern.CASE_INSENSITIVE);

    private final ComparisonResult result = SyntheticComparison.typical();
    private final String html = HtmlReport.of(result).render();

    @Test
    void render_loadsNothingFromTheNetwork() {
        Matcher attributes = RESOURCE_ATTRIBUTE.matcher(html);
        while (attributes.find()) {
            String target = attributes.group(1).toLowerCase(Locale.ROOT);
            assertFalse(target.startsWith("http:") || target.startsWith("https:") || target.startsWith("//"),
                    attributes.group());
        }
        String lower = html.toLowerCase(Locale.ROOT);
        assertFalse(lower.contains("<link"), "no stylesheet or font links");
        assertFalse(lower.contains("@import"));
        assertFalse(lower.contains("url("), "no CSS resource");
        assertFalse(lower.contains("<img"));
        assertFalse(lower.contains("<script"));
        assertFalse(lower.contains("<iframe"));
    }

    @Test
    void render_isWellFormedXml_withAnSvgPerChart() throws Exception {
        Document document = parse(html);

        NodeList svgs = document.getElementsByTagName("svg");
        assertEquals(2 + 2 * result.runs().size(), svgs.getLength(), "connections, requests, and per run "
                + "latency and environments");
        for (int i = 0; i < svgs.getLength(); i++) {
            Element svg = (Element) svgs.item(i);
            assertTrue(svg.getAttribute("viewBox").matches("0 0 \\d+ \\d+"), svg.getAttribute("viewBox"));
            assertTrue(svg.getElementsByTagName("path").getLength() > 0, "every chart draws data");
            assertTrue(svg.getElementsByTagName("text").getLength() > 5, "every chart has ticks");
        }
        assertEquals("en", document.getDocumentElement().getAttribute("lang"));
    }

    @Test
    void render_namesEveryRun_inTheTableAndTheCharts() throws Exception {
        Document document = parse(html);
        String legends = textOf(document.getElementsByTagName("svg").item(0));

        for (StrategyRun run : result.runs()) {
            assertTrue(legends.contains(run.label()), run.label());
            assertTrue(html.contains("<figcaption>") && html.contains(run.label() + "</figcaption>"), run.label());
        }
        String table = textOf(document.getElementsByTagName("table").item(0));
        assertTrue(table.contains("(graceful)"));
        assertTrue(table.contains(String.format(Locale.ROOT, "%,d", result.runs().get(0).summary().requests())));
        assertTrue(table.contains("direct / proxy"));
    }

    @Test
    void render_statesTheSettings_andThePricesWithTheirDate() {
        assertTrue(html.contains("10, 20, 30, 60, 80 users, 20 s each"));
        assertTrue(html.contains(result.pricing().asOf()));
        assertTrue(html.contains(result.pricing().region()));
        assertTrue(html.contains("$0.0000166667"));
        assertTrue(html.contains("How to read this report"));
    }

    @Test
    void render_marksTheLoadStepsTheRedeployAndTheIdlePhase() {
        String connections = html.substring(html.indexOf("<svg"), html.indexOf("</svg>"));

        for (String label : List.of("10 users", "20 users", "30 users", "60 users", "80 users", "redeploy",
                "idle phase")) {
            assertTrue(connections.contains(">" + label + "</text>"), label);
        }
    }

    @Test
    void render_drawsEachStepBandOncePerChart() throws Exception {
        NodeList svgs = parse(html).getElementsByTagName("svg");

        for (int i = 0; i < svgs.getLength(); i++) {
            Element svg = (Element) svgs.item(i);
            assertEquals(5 + 1, svg.getElementsByTagName("rect").getLength()
                    - legendBoxes(svg), "five steps and the idle phase: " + svg.getAttribute("aria-label"));
        }
    }

    @Test
    void render_escapesMarkupComingFromTheResult() throws Exception {
        ComparisonResult hostile = Runs.comparison(Runs.run("<script>alert(1)</script>", "a&b", 10, 1,
                Runs.samples(3, 2, 1, 2)));

        String report = HtmlReport.of(hostile).render();

        assertFalse(report.contains("<script>"));
        assertTrue(report.contains("&lt;script&gt;alert(1)&lt;/script&gt; (a&amp;b)"));
        parse(report);
    }

    @Test
    void render_ofARunWithoutSamples_saysSo_inItsCharts() throws Exception {
        ComparisonResult empty = Runs.comparison(Runs.run("direct", "abandon", 0, Double.NaN, List.of()));

        String report = HtmlReport.of(empty).render();

        Document document = parse(report);
        assertEquals(4, document.getElementsByTagName("svg").getLength());
        assertEquals(4, count(report, ">no samples</text>"));
        assertNoInvalidNumbers(report);
    }

    @Test
    void render_ofARunWhoseLatencyIsAllNaN_saysNoRequestsCompleted() throws Exception {
        ComparisonResult idle = Runs.comparison(Runs.run("direct", "abandon", 0, Double.NaN,
                Runs.samples(20, 5, Double.NaN, Double.NaN)));

        String report = HtmlReport.of(idle).render();

        parse(report);
        assertEquals(1, count(report, ">no requests completed</text>"));
        assertNoInvalidNumbers(report);
    }

    @Test
    void render_ofASingleSample_drawsItAsADot() throws Exception {
        ComparisonResult single = Runs.comparison(Runs.run("direct", "abandon", 10, 3,
                Runs.samples(1, 7, 3, 8)));

        String report = HtmlReport.of(single).render();

        parse(report);
        assertTrue(count(report, "<circle ") >= 4, "connections, requests, p50 and p99 as dots");
        assertEquals(0, count(report, ">no samples</text>") + count(report, ">no requests completed</text>"));
        assertNoInvalidNumbers(report);
    }

    @Test
    void render_ofZeroConnections_drawsAFlatLineOnTheAxis() throws Exception {
        ComparisonResult zero = Runs.comparison(
                Runs.run("direct", "abandon", 10, 3, Runs.samples(8, 0, 3, 8)),
                Runs.run("lambda-proxy", "abandon", 10, 3, Runs.samples(8, 0, 3, 8)));

        String report = HtmlReport.of(zero).render();

        parse(report);
        String connections = report.substring(report.indexOf("<svg"), report.indexOf("</svg>"));
        Matcher path = Pattern.compile("<path d=\"M([\\d.]+) ([\\d.]+)L[\\d.]+ ([\\d.]+)").matcher(connections);
        assertTrue(path.find(), connections);
        assertEquals(path.group(2), path.group(3), "flat");
        assertTrue(connections.contains(">0</text>"));
        assertNoInvalidNumbers(report);
    }

    @Test
    void writeTo_writesTheRenderedReportAsUtf8(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("report.html");

        HtmlReport.of(result).writeTo(file);

        assertEquals(html, Files.readString(file, StandardCharsets.UTF_8));
    }

    /** The legend's colour boxes of stacked areas, which are rects too. */
    private static int legendBoxes(Element svg) {
        int boxes = 0;
        NodeList rects = svg.getElementsByTagName("rect");
        for (int i = 0; i < rects.getLength(); i++) {
            boxes += ((Element) rects.item(i)).getAttribute("width").equals("22") ? 1 : 0;
        }
        return boxes;
    }

    private static void assertNoInvalidNumbers(String report) {
        assertFalse(report.contains("NaN"), "NaN in the output");
        assertFalse(report.contains("Infinity"), "Infinity in the output");
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    private static String textOf(org.w3c.dom.Node node) {
        return node.getTextContent();
    }

    @Test
    void render_withManagedInstances_headsEachColumnWithItsCompute_andPrintsTheVerdictAndTheInstancePrices()
            throws Exception {
        String managed = HtmlReport.of(SyntheticComparison.withManagedInstances()).render();

        parse(managed);
        assertTrue(managed.contains("<h2>Verdict</h2>"), "a verdict section");
        assertTrue(managed.contains("Fewest connections: lambda-proxy"), "names the fewest connections");
        assertTrue(managed.contains("Lowest cost: "), "names the lowest cost");
        assertTrue(managed.contains("Requests answered 429 / 503: "), "lists refusals");
        assertTrue(managed.contains("m7g.large (2 vCPU, 8 GiB), $0.0816 per hour on demand, as of 2026-06-17"));
        assertTrue(managed.contains("15% of the EC2 on-demand price, as of 2026-12-07"));
        assertTrue(managed.contains("AWS keeps at least 3 instances"));
        assertEquals(3, managed.split("<span class=\"mode\">managed</span>", -1).length - 1 + managed.split(
                "<span class=\"mode\">proxy managed</span>", -1).length - 1, "three columns on managed instances");
        assertFalse(html.contains("<span class=\"mode\">managed</span>"), "none in the standard comparison");
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setExpandEntityReferences(false);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }
}
