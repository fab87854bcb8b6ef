package dev.lightmark.io;

import java.io.IOException;
import java.io.InputStream;

/** Files shipped inside the jar (models, detector parameters), read by their classpath path. */
public final class BundledResources {
    private BundledResources() {}

    /**
     * The whole resource; a clear error when the build lacks it (e.g. resources not copied). A
     * resource with a checksum manifest beside it ({@code PATH.sha256}, see {@link ModelChecksums})
     * is checked against it; a bundled .onnx model without one is read with a warning.
     */
    public static byte[] read(String path) throws IOException {
        byte[] bytes;
        try (InputStream in = BundledResources.class.getResourceAsStream(path)) {
            if (in == null) throw new IOException("bundled file " + path + " is missing from the build (run bin/setup)");
            bytes = in.readAllBytes();
        }
        try (InputStream m = BundledResources.class.getResourceAsStream(path + ModelChecksums.SUFFIX)) {
            if (m != null) ModelChecksums.verify(bytes, "bundled file " + path, new String(m.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII));
            else if (path.endsWith(".onnx")) ModelChecksums.warnUnverified("bundled file " + path, "has no checksum manifest");
        }
        return bytes;
    }
}
