package dev.lightmark.infer;

import java.io.IOException;
import java.io.InputStream;

/**
 * Opens model files core cannot run itself, such as the {@code .lmk} files training writes (run
 * on DJL/PyTorch by lightmark-train). Found with {@link java.util.ServiceLoader}, so a module
 * adds a runtime by being on the classpath.
 */
public interface LandmarkNetworkProvider {
    /** True when this provider reads files with this name (lower case). */
    boolean accepts(String fileName);

    LandmarkNetwork open(InputStream in, String name, int threads) throws IOException;
}
