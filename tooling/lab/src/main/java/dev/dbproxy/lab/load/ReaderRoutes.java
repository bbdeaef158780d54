package dev.dbproxy.lab.load;

/**
 * The pair of reader routes a virtual user loops over, like the seed's getNotes and getNote functions.
 *
 * @param listPath path of the list route, e.g. {@code /direct/notes}
 * @param getPath  path of the get route without the id, e.g. {@code /direct/notes}
 */
public record ReaderRoutes(String listPath, String getPath) {
}
