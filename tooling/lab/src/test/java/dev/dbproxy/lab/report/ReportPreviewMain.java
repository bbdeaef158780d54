package dev.dbproxy.lab.report;

import dev.dbproxy.lab.result.ComparisonResult;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the report of a synthetic comparison ({@link SyntheticComparison}) to look at it in a browser while
 * working on the report; the real report comes from {@code compare}. Arguments: the output directory (default
 * {@code target/report-preview}) and a factor for every duration (default 1; 12 gives a half-hour run like the
 * seed's). Prints the console table and the paths written.
 */
public final class ReportPreviewMain {

    private ReportPreviewMain() {
    }

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args.length > 0 ? args[0] : "target/report-preview");
        Files.createDirectories(directory);
        ComparisonResult result = SyntheticComparison.typical(args.length > 1 ? Double.parseDouble(args[1]) : 1);
        Path html = directory.resolve("report.html");
        Path json = directory.resolve("result.json");
        HtmlReport.of(result).writeTo(html);
        ResultJson.create().writeTo(result, json);
        ConsoleTable.of(result).printTo(System.out);
        System.out.println("wrote " + html.toAbsolutePath());
        System.out.println("wrote " + json.toAbsolutePath());
    }
}
