package dev.lightmark.serve;

import io.javalin.http.Context;
import jakarta.servlet.ServletInputStream;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Takes the image out of a request, never holding more than the body limit: raw bytes
 * (Content-Type image/*, application/octet-stream or none) or a multipart/form-data field
 * named {@code image}. Bodies are read by {@link BodyReader} (size, minimum rate, deadline);
 * a body that is still arriving when the request is handled also needs one of the service's
 * upload slots, so slow uploads cannot take every HTTP thread (see {@link Gate}).
 */
final class UploadReader {
    static final String FIELD = "image";

    /** The image bytes and a name for messages and the response (the upload's file name, if any). */
    record Upload(byte[] bytes, String name) {}

    /**
     * The service's side of reading bodies: the limits, the upload slots, how many requests may
     * wait for one and for how long, and whether the server is past its drain time.
     */
    record Gate(BodyReader.Limits limits, Semaphore slots, int maxUploads, AtomicInteger arriving, AtomicInteger waiting,
                long slotWaitMs, BooleanSupplier stop, Runnable onSlow) {}

    private UploadReader() {}

    static Upload read(Context ctx, Gate gate) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > gate.limits().maxBytes()) throw BodyReader.tooLarge(declared + " bytes", gate.limits().maxBytes());
        String type = mediaType(ctx.contentType());
        boolean multipart = type.equals("multipart/form-data");
        if (!multipart && !(type.isEmpty() || type.equals("application/octet-stream") || type.startsWith("image/")))
            throw new ApiException(415, "unsupported Content-Type '" + type + "': send the image bytes as image/* or "
                    + "application/octet-stream, or multipart/form-data with a file field named '" + FIELD + "'");
        byte[] body = readBody(ctx, new BodyReader(declared, gate.limits(), System::nanoTime), gate);
        Upload up = multipart ? MultipartBody.file(body, ctx.contentType(), FIELD, gate.limits().maxBytes()) : new Upload(body, "upload");
        if (up.bytes().length == 0)
            throw new ApiException(400, "empty body: send the image bytes (or a multipart field '" + FIELD + "')");
        return up;
    }

    private static byte[] readBody(Context ctx, BodyReader body, Gate gate) {
        try {
            ServletInputStream in = ctx.req().getInputStream();
            // A body already here in full is read at once: under a slow-body attack the bodies still
            // trickling in hold the places below, and a complete upload must not wait behind them.
            if (body.takeIfComplete(in)) return body.bytes();
            // At most maxUploads bodies are taken in without a slot at once; each only while it keeps up.
            boolean fast = gate.arriving().incrementAndGet() <= gate.maxUploads();
            try {
                if (fast && body.takeAvailable(in, in::isFinished)) return body.bytes();   // arrived at full speed: no slot needed
            } finally {
                gate.arriving().decrementAndGet();
            }
            takeSlot(gate);
            try (AutoCloseable idle = idleTimeout(ctx, gate.limits().graceMs())) {
                body.readRest(in, gate.stop());
            } finally {
                gate.slots().release();
            }
            return body.bytes();
        } catch (ApiException e) {
            if (e.status() == 408) gate.onSlow().run();
            throw e;
        } catch (Exception e) {   // IOException from the stream; Exception from closing the idle-timeout guard
            if (isTimeout(e)) {
                gate.onSlow().run();
                throw new ApiException(408, "request body stalled: no data for " + gate.limits().graceMs() / 1000.0 + " s after "
                        + body.bytesRead() + " bytes", Map.of("Connection", "close"));
            }
            throw new ApiException(400, "cannot read the request body (client closed it?): " + e.getMessage());
        }
    }

    /** One of the upload slots, waiting at most the queue wait; 503 when none frees up or too many already wait. */
    private static void takeSlot(Gate gate) {
        boolean got = false;
        if (gate.waiting().incrementAndGet() <= gate.maxUploads()) {
            try {
                got = gate.slots().tryAcquire(gate.slotWaitMs(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                gate.waiting().decrementAndGet();
            }
        } else {
            gate.waiting().decrementAndGet();
        }
        if (!got)
            throw new ApiException(503, "busy: all " + gate.maxUploads() + " upload slots are taken by bodies still arriving "
                    + "(--max-uploads); retry later", Map.of("Retry-After", "1", "Connection", "close"));
    }

    /**
     * While a body is read, the connection's idle timeout is the grace time, so a client that
     * stops sending frees its slot quickly; the old value comes back afterwards.
     */
    private static AutoCloseable idleTimeout(Context ctx, long ms) {
        try {
            EndPoint ep = ServletContextRequest.getServletContextRequest(ctx.req()).getConnectionMetaData().getConnection().getEndPoint();
            long old = ep.getIdleTimeout();
            ep.setIdleTimeout(ms);
            return () -> ep.setIdleTimeout(old);
        } catch (RuntimeException e) {   // not on Jetty's servlet request: rely on the rate checks alone
            return () -> {};
        }
    }

    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause())
            if (t instanceof TimeoutException || t instanceof java.net.SocketTimeoutException) return true;
        return false;
    }

    /** "image/JPEG; charset=x" to "image/jpeg"; "" when absent. */
    static String mediaType(String contentType) {
        if (contentType == null) return "";
        int semi = contentType.indexOf(';');
        return (semi >= 0 ? contentType.substring(0, semi) : contentType).trim().toLowerCase(Locale.ROOT);
    }

    /** The last segment of a client-given file name, limited to plain characters (it ends up in paths and JSON). */
    static String safeName(String filename) {
        if (filename == null || filename.isBlank()) return "upload";
        String base = filename.substring(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1);
        String clean = base.replaceAll("[^A-Za-z0-9._ -]", "_");
        if (clean.length() > 100) clean = clean.substring(0, 100);
        return clean.isBlank() || clean.equals(".") || clean.equals("..") ? "upload" : clean;
    }
}
