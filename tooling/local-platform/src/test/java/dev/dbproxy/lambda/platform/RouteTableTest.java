package dev.dbproxy.lambda.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private final RouteTable table = new RouteTable(List.of(
            new HttpApiRoute("ANY", "$default", "fallback"),
            new HttpApiRoute("ANY", "/notes/{id}", "any-note"),
            new HttpApiRoute("GET", "/notes/{id}", "get-note"),
            new HttpApiRoute("GET", "/notes/recent", "recent"),
            new HttpApiRoute("GET", "/files/{path+}", "files")));

    @Test
    void match_whenLiteralAndParameterRoutesBothFit_prefersTheLiteral() {
        assertEquals("recent", match("GET", "/notes/recent").route().functionName());
    }

    @Test
    void match_whenMethodRouteAndAnyRouteBothFit_prefersTheMethod() {
        assertEquals("get-note", match("GET", "/notes/7").route().functionName());
        assertEquals("any-note", match("DELETE", "/notes/7").route().functionName());
    }

    @Test
    void match_extractsPathParameters_includingGreedyOnes() {
        assertEquals(Map.of("id", "7"), match("GET", "/notes/7").pathParameters());
        assertEquals(Map.of("path", "a/b/c.txt"), match("GET", "/files/a/b/c.txt").pathParameters());
    }

    @Test
    void match_whenNothingElseFits_usesTheDefaultRoute() {
        assertEquals("fallback", match("POST", "/elsewhere").route().functionName());
        assertEquals("fallback", match("GET", "/files").route().functionName());
    }

    @Test
    void match_withoutDefaultRoute_returnsNullForUnknownPaths() {
        RouteTable noDefault = new RouteTable(List.of(new HttpApiRoute("GET", "/a", "a")));

        assertNull(noDefault.match("GET", RouteTable.segments("/b")));
        assertNull(noDefault.match("POST", RouteTable.segments("/a")));
    }

    @Test
    void functionReference_parsesNamesQualifiersAndArns() {
        assertEquals(new FunctionReference("fn", ""), FunctionReference.parse("fn"));
        assertEquals(new FunctionReference("fn", "live"), FunctionReference.parse("fn:live"));
        assertEquals(new FunctionReference("fn", "$LATEST"), FunctionReference.parse("arn:aws:lambda:us-east-1:123456789012:function:fn:$LATEST"));
        assertEquals(new FunctionReference("fn", ""), FunctionReference.parse("123456789012:function:fn"));
    }

    private RouteTable.Match match(String method, String path) {
        return table.match(method, RouteTable.segments(path));
    }
}
