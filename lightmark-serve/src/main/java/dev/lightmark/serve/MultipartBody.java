package dev.lightmark.serve;

import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;

import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The file field of a {@code multipart/form-data} body that is already in memory (read by
 * {@link BodyReader} under the same limits as a raw upload), parsed by Jetty's multipart parser.
 */
final class MultipartBody {
    /** More parts than this are refused (a form with the image needs one or two). */
    static final int MAX_PARTS = 16;

    private MultipartBody() {}

    /** The bytes and file name of field {@code field}; 400 for a malformed body or a missing field. */
    static UploadReader.Upload file(byte[] body, String contentType, String field, long maxBytes) {
        String boundary = MultiPart.extractBoundary(contentType);
        if (boundary == null || boundary.isEmpty())
            throw new ApiException(400, "malformed multipart/form-data body: no boundary in the Content-Type");
        MultiPartFormData.Parser parser = new MultiPartFormData.Parser(boundary);
        parser.setMaxParts(MAX_PARTS);
        parser.setMaxLength(maxBytes);
        parser.setMaxFileSize(maxBytes);
        parser.setMaxMemoryFileSize(maxBytes);   // everything stays in memory: the body already is
        parser.setPartHeadersMaxLength(16 * 1024);
        MultiPartFormData.Parts parts;
        try {
            parts = parser.parse(Content.Source.from(ByteBuffer.wrap(body))).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            throw new ApiException(400, "malformed multipart/form-data body: " + c.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted while reading the multipart body");
        } catch (TimeoutException e) {
            throw new ApiException(400, "malformed multipart/form-data body: not parsed in 10 s");
        } catch (RuntimeException e) {   // the parser's own complaints, thrown rather than returned
            throw new ApiException(400, "malformed multipart/form-data body: " + e.getMessage());
        }
        try (parts) {
            MultiPart.Part part = parts.getFirst(field);
            if (part == null) throw new ApiException(400, "multipart/form-data body has no file field named '" + field + "'");
            ByteBuffer content = Content.Source.asByteBuffer(part.getContentSource());
            byte[] bytes = new byte[content.remaining()];
            content.get(bytes);
            return new UploadReader.Upload(bytes, UploadReader.safeName(part.getFileName()));
        } catch (java.io.IOException | RuntimeException e) {
            if (e instanceof ApiException a) throw a;
            throw new ApiException(400, "cannot read the uploaded file: " + e.getMessage());
        }
    }
}
