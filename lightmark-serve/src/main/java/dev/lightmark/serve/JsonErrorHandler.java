package dev.lightmark.serve;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Jetty's answers to requests it refuses before the service sees them (414 URI too long, 431
 * headers too large, 400 for a malformed request line or header) as the service's JSON error,
 * {@code {"error": "...", "status": N}}, instead of Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        byte[] body = json(status, request.getAttribute(ERROR_MESSAGE));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "must-revalidate,no-cache,no-store");
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(json(status, reason));
    }

    private static byte[] json(int status, Object message) {
        String text = message instanceof String s && !s.isBlank() ? s : HttpStatus.getMessage(status);
        return LandmarkService.errorJson(status, text).getBytes(StandardCharsets.UTF_8);
    }
}
