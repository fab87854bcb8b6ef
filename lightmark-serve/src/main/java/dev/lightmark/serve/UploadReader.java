package dev.lightmark.serve;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Takes the image out of a request, never holding more than the body limit: raw bytes
 * (Content-Type image/*, application/octet-stream or none) or a multipart/form-data field
 * named {@code image}.
 */
final class UploadReader {
    static final String FIELD = "image";

    /** The image bytes and a name for messages and the response (the upload's file name, if any). */
    record Upload(byte[] bytes, String name) {}

    private UploadReader() {}

    static Upload read(Context ctx, long maxBytes) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) throw tooLarge(declared + " bytes", maxBytes);
        String type = mediaType(ctx.contentType());
        Upload up;
        if (type.equals("multipart/form-data")) up = multipart(ctx, maxBytes);
        else if (type.isEmpty() || type.equals("application/octet-stream") || type.startsWith("image/"))
            up = new Upload(readBounded(ctx, maxBytes), "upload");
        else
            throw new ApiException(415, "unsupported Content-Type '" + type + "': send the image bytes as image/* or "
                    + "application/octet-stream, or multipart/form-data with a file field named '" + FIELD + "'");
        if (up.bytes().length == 0)
            throw new ApiException(400, "empty body: send the image bytes (or a multipart field '" + FIELD + "')");
        return up;
    }

    private static Upload multipart(Context ctx, long maxBytes) {
        UploadedFile file;
        try {
            file = ctx.uploadedFile(FIELD);
        } catch (Exception e) {   // Jetty's multipart parser: ServletException / IllegalStateException, declared or not
            String why = String.valueOf(e.getMessage());
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) why += " " + c.getMessage();
            if (why.toLowerCase(Locale.ROOT).matches("(?s).*(exceed|too large|max(imum)? ?(file|request)? ?size).*"))
                throw tooLarge(null, maxBytes);
            throw new ApiException(400, "malformed multipart/form-data body: " + e.getMessage());
        }
        if (file == null)
            throw new ApiException(400, "multipart/form-data body has no file field named '" + FIELD + "'");
        if (file.size() > maxBytes) throw tooLarge(file.size() + " bytes", maxBytes);
        try (InputStream in = file.content()) {
            return new Upload(in.readAllBytes(), safeName(file.filename()));
        } catch (IOException e) {
            throw new ApiException(400, "cannot read the uploaded file: " + e.getMessage());
        }
    }

    /** Reads the body, stopping with 413 as soon as it passes the limit (bodies without Content-Length too). */
    private static byte[] readBounded(Context ctx, long maxBytes) {
        try (InputStream in = ctx.req().getInputStream()) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream(8192);
            byte[] chunk = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = in.read(chunk)) > 0; ) {
                total += n;
                if (total > maxBytes) throw tooLarge(null, maxBytes);
                buf.write(chunk, 0, n);
            }
            return buf.toByteArray();
        } catch (IOException e) {
            throw new ApiException(400, "cannot read the request body (client closed it?): " + e.getMessage());
        }
    }

    /** {@code size} is null when the body was cut off at the limit, so its full size is unknown. */
    private static ApiException tooLarge(String size, long maxBytes) {
        return new ApiException(413, "request body is " + (size == null ? "" : size + ", ")
                + "over the " + maxBytes + "-byte limit (--max-body-bytes)");
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
