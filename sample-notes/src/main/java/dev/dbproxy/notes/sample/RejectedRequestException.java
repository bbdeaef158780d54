package dev.dbproxy.notes.sample;

/** The HTTP request itself is unacceptable (wrong content type, oversized body) before any use case runs. */
final class RejectedRequestException extends RuntimeException {

    private final int status;
    private final String title;
    private final String field;

    RejectedRequestException(int status, String title, String field, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.field = field;
    }

    int status() {
        return status;
    }

    String title() {
        return title;
    }

    String field() {
        return field;
    }
}
