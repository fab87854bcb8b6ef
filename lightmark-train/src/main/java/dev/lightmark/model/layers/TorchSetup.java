package dev.lightmark.model.layers;

import java.nio.file.Path;

/**
 * DJL/PyTorch settings that must be in place before the engine first loads: offline mode
 * (otherwise DJL probes a cloud metadata address at start-up), CPU flavour, a cache inside the
 * build folder, and the number of intra-op threads.
 */
public final class TorchSetup {
    private static volatile boolean done;

    private TorchSetup() {}

    public static synchronized void configure(int threads) {
        if (done) return;
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("PYTORCH_VERSION", "2.7.1");
        setIfAbsent("PYTORCH_FLAVOR", "cpu");
        setIfAbsent("OPT_OUT_TRACKING", "true");
        String cache = Path.of(System.getProperty("lightmark.cache", "target/djl-cache")).toAbsolutePath().toString();
        setIfAbsent("DJL_CACHE_DIR", cache);
        setIfAbsent("ENGINE_CACHE_DIR", cache);
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        done = true;
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null && System.getenv(key) == null) System.setProperty(key, value);
    }
}
