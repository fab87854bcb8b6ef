package dev.lightmark.io;

import java.io.IOException;
import java.io.InputStream;

/** Files shipped inside the jar (models, detector parameters), read by their classpath path. */
public final class BundledResources {
    private BundledResources() {}

    /** The whole resource; a clear error when the build lacks it (e.g. resources not copied). */
    public static byte[] read(String path) throws IOException {
        try (InputStream in = BundledResources.class.getResourceAsStream(path)) {
            if (in == null) throw new IOException("bundled file " + path + " is missing from the build (run bin/setup)");
            return in.readAllBytes();
        }
    }
}
