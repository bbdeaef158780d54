package dev.dbproxy.lab.load;

/** How one HTTP request of a virtual user ended, as the lab counts errors. */
public enum RequestOutcome {
    /** 2xx. */
    OK,
    /** 429: a concurrency cap refused the request. */
    THROTTLED,
    /** 502, 503 or 504: the function, the proxy or the database could not serve it. */
    UNAVAILABLE,
    /** Any other status, a connection failure or a client-side timeout. */
    OTHER;

    /** The outcome of an HTTP status code. */
    public static RequestOutcome ofStatus(int status) {
        if (status >= 200 && status < 300) {
            return OK;
        }
        if (status == 429) {
            return THROTTLED;
        }
        if (status == 502 || status == 503 || status == 504) {
            return UNAVAILABLE;
        }
        return OTHER;
    }
}
