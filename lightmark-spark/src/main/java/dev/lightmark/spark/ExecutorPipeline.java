package dev.lightmark.spark;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lightmark.batch.ResultJson;
import dev.lightmark.data.DataFormatException;
import dev.lightmark.image.Images;
import dev.lightmark.infer.FacePipeline;
import dev.lightmark.infer.FaceResult;
import dev.lightmark.infer.LandmarkPredictor;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The detector and landmark model of one executor JVM: created on first use by the first task
 * that needs it, then shared by every task of every job in that JVM (a Spark executor runs many
 * tasks, several at once). ONNX Runtime sessions allow concurrent runs, so the concurrent tasks
 * of an executor share one set of sessions instead of loading the models once per task.
 *
 * <p>One instance per distinct {@link DetectSettings}; they stay open until the JVM exits.
 */
public final class ExecutorPipeline {
    private static final ConcurrentHashMap<DetectSettings, ExecutorPipeline> OPEN = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    private final LandmarkPredictor predictor;
    private final FacePipeline pipeline;
    private final DetectSettings settings;

    private ExecutorPipeline(DetectSettings s) throws IOException {
        this.settings = s;
        this.predictor = LandmarkPredictor.load(s.model() == null ? null : Path.of(s.model()), s.threads());
        try {
            predictor.setFlipTest(s.flip());
            this.pipeline = FacePipeline.create(s.detector(), s.threshold(), s.threads(), predictor).setTrustPolicy(s.trust());
        } catch (RuntimeException e) {
            predictor.close();
            throw e;
        }
    }

    /** This JVM's pipeline for these settings, loaded by the first caller; thread-safe. */
    public static ExecutorPipeline get(DetectSettings s) {
        return OPEN.computeIfAbsent(s, k -> {
            registerImageReaders();
            try {
                ExecutorPipeline p = new ExecutorPipeline(k);
                LOADS.incrementAndGet();
                return p;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load the landmark model " + (k.model() == null ? "(bundled)" : k.model()), e);
            }
        });
    }

    /** How many pipelines this JVM has loaded so far (one per settings; for tests and logs). */
    public static int loads() { return LOADS.get(); }

    /**
     * On an executor the job jar is loaded by a child class loader that ImageIO's registry may
     * not have looked at: scan again with it so the TwelveMonkeys JPEG reader (CMYK, broken
     * markers) decodes exactly as in {@code lightmark detect}.
     */
    private static void registerImageReaders() {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        try {
            t.setContextClassLoader(ExecutorPipeline.class.getClassLoader());
            ImageIO.scanForPlugins();
        } finally {
            t.setContextClassLoader(before);
        }
    }

    public DetectSettings settings() { return settings; }

    /**
     * The record {@code lightmark detect} writes for this image ({@link ResultJson#result}), or its
     * error record ({@link ResultJson#error}) when the bytes cannot be decoded or detection fails.
     * Never throws for a bad image.
     *
     * @param image the image's name (path or URI), which the record carries
     */
    public ObjectNode detect(String image, byte[] bytes) {
        BufferedImage img;
        try {
            img = Images.decode(bytes, image);
        } catch (DataFormatException e) {
            String m = e.getMessage();
            String prefix = e.file() + ": ";
            return ResultJson.error(image, m.startsWith(prefix) ? m.substring(prefix.length()) : m);
        } catch (RuntimeException e) {
            return ResultJson.error(image, "cannot read image: " + e);
        } catch (OutOfMemoryError e) {
            return ResultJson.error(image, "out of memory while decoding");
        }
        try {
            long t0 = System.nanoTime();
            List<FaceResult> found = pipeline.run(img);
            double ms = (System.nanoTime() - t0) / 1e6;
            return ResultJson.result(image, img.getWidth(), img.getHeight(), ms, found);
        } catch (RuntimeException e) {
            return ResultJson.error(image, "detection failed: " + e);
        }
    }
}
