package dev.dbproxy.lab.report;

import dev.dbproxy.lab.result.ComparisonResult;
import dev.dbproxy.lab.result.StrategyRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The runs' summaries side by side for a terminal: plain ASCII, fixed width, one column per run (headed by its
 * strategy, where its functions run and its reclaim mode) and, when both abandon runs on Lambda are present, a
 * {@code direct / proxy} ratio column. The peak connections row comes first and the same ratio opens the table as a
 * one-line headline; the verdict (fewest connections, lowest cost, refused requests) closes it.
 *
 * <pre>{@code
 * ConsoleTable.of(result).printTo(System.out);
 * }</pre>
 */
public final class ConsoleTable {

    private static final int GAP = 3;
    private static final int HEADER_LINES = 3;

    private final SummaryTable table;

    private ConsoleTable(SummaryTable table) {
        this.table = table;
    }

    /** The table of a comparison's runs. */
    public static ConsoleTable of(ComparisonResult result) {
        return new ConsoleTable(SummaryTable.of(result));
    }

    /** The table as text: lines separated by {@code \n}, ending with one. */
    public String render() {
        List<String[]> header = header();
        int[] widths = widths(header);
        int total = 0;
        for (int width : widths) {
            total += width;
        }
        total += GAP * (widths.length - 1);

        StringBuilder out = new StringBuilder();
        if (!table.headline().isEmpty()) {
            out.append(table.headline()).append('\n').append('\n');
        }
        for (int line = 0; line < HEADER_LINES; line++) {
            String[] cells = new String[widths.length];
            for (int column = 0; column < widths.length; column++) {
                cells[column] = header.get(column)[line];
            }
            appendLine(out, widths, cells);
        }
        out.append("-".repeat(total)).append('\n');
        for (SummaryTable.Section section : table.sections()) {
            appendLine(out, widths, padded(section.title(), widths.length));
            for (SummaryTable.Row row : section.rows()) {
                appendLine(out, widths, cells(row));
            }
        }
        out.append("-".repeat(total)).append('\n');
        if (!table.verdict().isEmpty()) {
            out.append('\n');
            table.verdict().forEach(line -> out.append(ascii(line)).append('\n'));
        }
        if (table.runs().stream().anyMatch(run -> run.configuration().anyOnManagedInstances())) {
            out.append(ascii(SummaryTable.MANAGED_INSTANCES_COST_NOTE)).append('\n');
            out.append(ascii(SummaryTable.MANAGED_INSTANCES_CONNECTIONS_NOTE)).append('\n');
        }
        return out.toString();
    }

    /**
     * Writes the table, e.g. to {@code System.out}.
     *
     * @throws UncheckedIOException if the appendable fails
     */
    public void printTo(Appendable out) {
        try {
            out.append(render());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot print the summary table", e);
        }
    }

    /** Three header lines per column: {@code direct} over {@code Lambda} over {@code (abandon)}. */
    private List<String[]> header() {
        List<String[]> header = new ArrayList<>();
        header.add(new String[] {"", "", ""});
        for (StrategyRun run : table.runs()) {
            header.add(new String[] {ascii(run.strategy()), ascii(run.configuration().computeLabel()),
                ascii("(" + run.reclaimMode() + ")")});
        }
        if (table.hasRatio()) {
            header.add(new String[] {"direct /", "proxy", "(abandon)"});
        }
        return header;
    }

    private int[] widths(List<String[]> header) {
        int[] widths = new int[header.size()];
        for (int column = 0; column < widths.length; column++) {
            for (String line : header.get(column)) {
                widths[column] = Math.max(widths[column], line.length());
            }
        }
        for (SummaryTable.Section section : table.sections()) {
            widths[0] = Math.max(widths[0], section.title().length());
            for (SummaryTable.Row row : section.rows()) {
                String[] cells = cells(row);
                for (int column = 0; column < widths.length; column++) {
                    widths[column] = Math.max(widths[column], cells[column].length());
                }
            }
        }
        return widths;
    }

    private String[] cells(SummaryTable.Row row) {
        String[] cells = padded("  " + row.label(), 1 + table.runs().size() + (table.hasRatio() ? 1 : 0));
        for (int run = 0; run < row.cells().size(); run++) {
            cells[run + 1] = ascii(row.cells().get(run));
        }
        if (table.hasRatio()) {
            cells[cells.length - 1] = row.ratio();
        }
        return cells;
    }

    private static String[] padded(String first, int columns) {
        String[] cells = new String[columns];
        Arrays.fill(cells, "");
        cells[0] = first;
        return cells;
    }

    /** First column left-aligned, figures right-aligned; trailing blanks kept so every line has the same width. */
    private static void appendLine(StringBuilder out, int[] widths, String[] cells) {
        for (int column = 0; column < widths.length; column++) {
            if (column > 0) {
                out.append(" ".repeat(GAP));
            }
            String cell = cells[column];
            String padding = " ".repeat(widths[column] - cell.length());
            out.append(column == 0 ? cell + padding : padding + cell);
        }
        out.append('\n');
    }

    /** Terminals without UTF-8 still show labels that came from outside the lab. */
    private static String ascii(String text) {
        StringBuilder ascii = new StringBuilder(text.length());
        text.codePoints().forEach(c -> ascii.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return ascii.toString();
    }
}
