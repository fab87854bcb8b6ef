package dev.lightmark.serve;

import java.util.Map;

/** A request the service answers with a 4xx/5xx status and {@code {"error": message}}. */
final class ApiException extends RuntimeException {
    private final int status;
    private final Map<String, String> headers;

    ApiException(int status, String message) { this(status, message, Map.of()); }

    ApiException(int status, String message, Map<String, String> headers) {
        super(message, null, false, false);   // expected outcomes: no stack trace needed
        this.status = status;
        this.headers = headers;
    }

    int status() { return status; }
    Map<String, String> headers() { return headers; }
}
