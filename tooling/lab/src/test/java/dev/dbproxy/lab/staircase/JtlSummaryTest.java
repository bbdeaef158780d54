package dev.dbproxy.lab.staircase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbproxy.lab.staircase.JtlSummary.Figures;
import dev.dbproxy.lab.staircase.JtlSummary.PrefixFigures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JtlSummaryTest {

    private static final String HEADER = "timeStamp,elapsed,label,responseCode,success,grpThreads,allThreads,URL";
    private static final long START = 1_796_669_309_000L;
    private static final Duration STEP = Duration.ofSeconds(6);

    @TempDir
    Path folder;

    @Test
    void read_whenBothPrefixesAnswered_countsStatusesPerPrefixAndLeavesTheSeedOut() throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(HEADER);
        lines.add(line(-500, 40, "seed a note", "201", "/direct/notes"));
        for (int i = 1; i <= 100; i++) {
            lines.add(line(i, i, "direct list", "200", "/direct/notes?limit=20"));
        }
        lines.add(line(10, 900, "proxy list", "429", "/proxy/notes?limit=20"));
        lines.add(line(20, 30_000, "proxy get", "Non HTTP response code: java.net.SocketTimeoutException",
                "/proxy/notes/5731c9c5831ad8ea152d0f9d"));
        lines.add(line(30, 70, "proxy get", "503", "/proxy/notes/5731c9c5831ad8ea152d0f9d"));
        lines.add(line(40, 50, "proxy get", "200", "/proxy/notes/5731c9c5831ad8ea152d0f9d"));

        JtlSummary.Summary summary = JtlSummary.read(write(lines), STEP, new int[] {10, 20});

        assertEquals(1, summary.seedRequests());
        assertEquals(1, summary.seedCreated());
        assertEquals(104, summary.staircaseRequests());
        PrefixFigures direct = summary.prefixes().get(0);
        assertEquals("direct", direct.prefix());
        assertEquals(new Figures(100, 100, 0, 0, 0, 50, 99, 100), direct.total());
        PrefixFigures proxy = summary.prefixes().get(1);
        assertEquals("proxy", proxy.prefix());
        assertEquals(new Figures(4, 1, 1, 1, 1, 70, 30_000, 30_000), proxy.total());
        assertEquals(Map.of("200", 1L, "429", 1L, "503", 1L,
                "Non HTTP response code: java.net.SocketTimeoutException", 1L), proxy.statusCounts());
    }

    @Test
    void read_whenSamplesStartInLaterSteps_putsEachInTheStepItsStartFallsInAndTheLastStepKeepsTheTail()
            throws IOException {
        List<String> lines = List.of(HEADER,
                line(0, 5, "direct list", "200", "/direct/notes"),
                line(5_999, 5, "direct list", "200", "/direct/notes"),
                line(6_000, 5, "direct list", "429", "/direct/notes"),
                line(13_000, 5, "direct list", "200", "/direct/notes"));

        PrefixFigures direct = JtlSummary.read(write(lines), STEP, new int[] {10, 20}).prefixes().get(0);

        assertEquals(2, direct.steps().get(0).figures().requests());
        assertEquals(10, direct.steps().get(0).users());
        assertEquals(2, direct.steps().get(1).figures().requests());
        assertEquals(1, direct.steps().get(1).figures().throttled());
        assertEquals(20, direct.steps().get(1).users());
    }

    @Test
    void read_whenAColumnIsMissing_namesIt() throws IOException {
        Path jtl = write(List.of("timeStamp,elapsed,label,responseCode", "1,2,direct list,200"));

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> JtlSummary.read(jtl, STEP, new int[] {10}));

        assertTrue(error.getMessage().contains("no column URL"), error.getMessage());
    }

    @Test
    void parseCsvLine_whenACellIsQuoted_keepsItsCommasAndDoubledQuotes() {
        assertEquals(List.of("1", "a, \"b\"", "", "c"), JtlSummary.parseCsvLine("1,\"a, \"\"b\"\"\",,c"));
    }

    @Test
    void prefixOf_readsTheFirstPathSegment() {
        assertEquals("proxy", JtlSummary.prefixOf("http://127.0.0.1:3000/proxy/notes/1"));
        assertEquals("direct", JtlSummary.prefixOf("http://127.0.0.1:3000/direct?x=1"));
        assertEquals("", JtlSummary.prefixOf("http://127.0.0.1:3000"));
    }

    @Test
    void nearestRank_givesTheSmallestValueThatTheFractionReaches() {
        long[] sorted = {1, 2, 3, 4};
        assertEquals(2, JtlSummary.nearestRank(sorted, 0.50));
        assertEquals(4, JtlSummary.nearestRank(sorted, 0.99));
        assertEquals(0, JtlSummary.nearestRank(new long[0], 0.99));
    }

    private Path write(List<String> lines) throws IOException {
        return Files.write(folder.resolve("results.jtl"), lines);
    }

    private static String line(long offsetMillis, long elapsed, String label, String code, String path) {
        return String.join(",", Long.toString(START + offsetMillis), Long.toString(elapsed), label, code,
                Boolean.toString(code.equals("200") || code.equals("201")), "1", "1", "http://127.0.0.1:3000" + path);
    }
}
