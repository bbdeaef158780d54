package dev.dbproxy.architecture.rules;

import java.util.Objects;

/**
 * Where the parts of one hexagon live, as package names (without a trailing {@code ..}): the rules of
 * {@link HexagonalRules} are stated once and checked on every hexagon of the project by naming its packages here.
 *
 * @param core              the domain and its ports, such as {@code dev.dbproxy.notes.core}
 * @param adapters          the parent of one package per adapter, such as {@code dev.dbproxy.notes.adapter}
 * @param businessFunctions the Lambda handlers, such as {@code dev.dbproxy.notes.sample}
 * @param selectorVariable  the environment variable that picks the adapter, such as {@code NOTES_REPOSITORY}, named in
 *                          the rules' explanations
 */
public record HexagonLayout(String core, String adapters, String businessFunctions, String selectorVariable) {

    public HexagonLayout {
        Objects.requireNonNull(core, "core");
        Objects.requireNonNull(adapters, "adapters");
        Objects.requireNonNull(businessFunctions, "businessFunctions");
        Objects.requireNonNull(selectorVariable, "selectorVariable");
        for (String name : new String[] {core, adapters, businessFunctions}) {
            if (name.isBlank() || name.endsWith(".")) {
                throw new IllegalArgumentException("a package name without a trailing dot, was '" + name + "'");
            }
        }
    }
}
