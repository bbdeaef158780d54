package dev.dbproxy.lab.staircase;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of a JMeter results file (a CSV JTL with its header line) of {@code serve-staircase.jmx}: per route
 * prefix ({@code /direct}, {@code /proxy}, the URL's first path segment), the requests, their status counts and
 * latency percentiles, over the whole staircase and per step. Samples whose label starts with {@value #SEED_LABEL}
 * are the plan's setUp and are only counted apart.
 */
final class JtlSummary {

    /** What the setUp's sample labels start with. */
    static final String SEED_LABEL = "seed";

    private static final List<String> COLUMNS = List.of("timeStamp", "elapsed", "label", "responseCode", "URL");

    private JtlSummary() {
    }

    /**
     * Requests and how they ended.
     *
     * @param requests    samples
     * @param ok          answered 200
     * @param throttled   answered 429
     * @param unavailable answered 503
     * @param other       any other status, or no HTTP answer (connection failure, JMeter's 30 s timeout)
     * @param p50Millis   median elapsed time (nearest rank), 0 without samples
     * @param p99Millis   99th percentile elapsed time (nearest rank), 0 without samples
     * @param maxMillis   longest elapsed time, 0 without samples
     */
    record Figures(long requests, long ok, long throttled, long unavailable, long other, long p50Millis,
            long p99Millis, long maxMillis) {
    }

    /** The figures of one step of the staircase; {@code users} per prefix. */
    record StepFigures(int step, int users, Figures figures) {
    }

    /**
     * One prefix's figures.
     *
     * @param prefix       {@code direct} or {@code proxy}
     * @param total        the whole staircase
     * @param statusCounts every response code JMeter recorded (HTTP status, or JMeter's "Non HTTP response code: ...")
     * @param steps        per step, by the sample's start time
     */
    record PrefixFigures(String prefix, Figures total, Map<String, Long> statusCounts, List<StepFigures> steps) {
    }

    /**
     * A results file's figures.
     *
     * @param seedRequests  setUp samples
     * @param seedCreated   setUp samples answered 201
     * @param startedMillis when the first staircase sample started (milliseconds since the epoch), 0 without any
     * @param prefixes      per prefix, in name order
     */
    record Summary(long seedRequests, long seedCreated, long startedMillis, List<PrefixFigures> prefixes) {

        /** Staircase samples of every prefix together. */
        long staircaseRequests() {
            return prefixes.stream().mapToLong(prefix -> prefix.total().requests()).sum();
        }
    }

    /**
     * Reads a results file.
     *
     * @param step       the length of one step; a sample belongs to the step its start time falls in, counted from
     *                   the first staircase sample
     * @param stepUsers  the users per prefix of each step, e.g. {@code 10, 20, 30, 60, 80}
     * @throws IllegalArgumentException when the file has no header, lacks one of the columns the summary reads, or
     *                                  has a line with fewer cells
     */
    static Summary read(Path jtl, Duration step, int[] stepUsers) {
        try (BufferedReader reader = Files.newBufferedReader(jtl, StandardCharsets.UTF_8)) {
            String header = reader.readLine();
            if (header == null) {
                throw new IllegalArgumentException(jtl + " is empty: JMeter wrote no header line");
            }
            int[] index = columnIndexes(jtl, parseCsvLine(header));
            List<Sample> samples = new ArrayList<>();
            long seedRequests = 0;
            long seedCreated = 0;
            int columns = Arrays.stream(index).max().orElseThrow() + 1;
            int lineNumber = 1;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                List<String> cells = parseCsvLine(line);
                if (cells.size() < columns) {
                    throw new IllegalArgumentException(jtl + " line " + lineNumber + " has " + cells.size()
                            + " cells, the header " + columns + " or more");
                }
                String label = cells.get(index[2]);
                String code = cells.get(index[3]);
                if (label.startsWith(SEED_LABEL)) {
                    seedRequests++;
                    seedCreated += code.equals("201") ? 1 : 0;
                    continue;
                }
                samples.add(new Sample(Long.parseLong(cells.get(index[0])), Long.parseLong(cells.get(index[1])),
                        code, prefixOf(cells.get(index[4]))));
            }
            long start = samples.stream().mapToLong(Sample::startedAtMillis).min().orElse(0);
            return new Summary(seedRequests, seedCreated, start, summarize(samples, start, step.toMillis(), stepUsers));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jtl, e);
        }
    }

    private record Sample(long startedAtMillis, long elapsedMillis, String code, String prefix) {
    }

    private static List<PrefixFigures> summarize(List<Sample> samples, long start, long stepMillis,
            int[] stepUsers) {
        Map<String, List<Sample>> byPrefix = new TreeMap<>();
        for (Sample sample : samples) {
            byPrefix.computeIfAbsent(sample.prefix(), prefix -> new ArrayList<>()).add(sample);
        }
        List<PrefixFigures> prefixes = new ArrayList<>();
        byPrefix.forEach((prefix, ofPrefix) -> {
            List<List<Sample>> bySteps = new ArrayList<>();
            for (int i = 0; i < stepUsers.length; i++) {
                bySteps.add(new ArrayList<>());
            }
            Map<String, Long> statusCounts = new TreeMap<>();
            for (Sample sample : ofPrefix) {
                int stepIndex = (int) Math.min(stepUsers.length - 1, (sample.startedAtMillis() - start) / stepMillis);
                bySteps.get(stepIndex).add(sample);
                statusCounts.merge(sample.code(), 1L, Long::sum);
            }
            List<StepFigures> steps = new ArrayList<>();
            for (int i = 0; i < stepUsers.length; i++) {
                steps.add(new StepFigures(i + 1, stepUsers[i], figures(bySteps.get(i))));
            }
            prefixes.add(new PrefixFigures(prefix, figures(ofPrefix), statusCounts, steps));
        });
        return prefixes;
    }

    private static Figures figures(List<Sample> samples) {
        long ok = 0;
        long throttled = 0;
        long unavailable = 0;
        long[] elapsed = new long[samples.size()];
        for (int i = 0; i < elapsed.length; i++) {
            Sample sample = samples.get(i);
            elapsed[i] = sample.elapsedMillis();
            switch (sample.code()) {
                case "200" -> ok++;
                case "429" -> throttled++;
                case "503" -> unavailable++;
                default -> {
                }
            }
        }
        Arrays.sort(elapsed);
        return new Figures(elapsed.length, ok, throttled, unavailable, elapsed.length - ok - throttled - unavailable,
                nearestRank(elapsed, 0.50), nearestRank(elapsed, 0.99),
                elapsed.length == 0 ? 0 : elapsed[elapsed.length - 1]);
    }

    /** The nearest-rank percentile of sorted values: the smallest value at least {@code fraction} of them reach. */
    static long nearestRank(long[] sorted, double fraction) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(fraction * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /** The first path segment of a sample's URL ({@code http://127.0.0.1:3000/proxy/notes/1} gives {@code proxy}). */
    static String prefixOf(String url) {
        int scheme = url.indexOf("://");
        int path = url.indexOf('/', scheme < 0 ? 0 : scheme + 3);
        if (path < 0) {
            return "";
        }
        int end = path + 1;
        while (end < url.length() && url.charAt(end) != '/' && url.charAt(end) != '?') {
            end++;
        }
        return url.substring(path + 1, end);
    }

    private static int[] columnIndexes(Path jtl, List<String> header) {
        int[] index = new int[COLUMNS.size()];
        for (int i = 0; i < index.length; i++) {
            index[i] = header.indexOf(COLUMNS.get(i));
            if (index[i] < 0) {
                throw new IllegalArgumentException(jtl + " has no column " + COLUMNS.get(i) + " (header: " + header
                        + "); run JMeter with -Jjmeter.save.saveservice.output_format=csv and the column saved");
            }
        }
        return index;
    }

    /** One line of JMeter's CSV: comma-separated, a cell with a comma or a quote is quoted, quotes doubled. */
    static List<String> parseCsvLine(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
