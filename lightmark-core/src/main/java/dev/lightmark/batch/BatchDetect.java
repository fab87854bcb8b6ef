package dev.lightmark.batch;

import dev.lightmark.data.DataFormatException;
import dev.lightmark.image.Images;
import dev.lightmark.infer.FaceResult;
import dev.lightmark.progress.ProgressBar;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Runs face detection over a list of images and writes one JSON record per image, in list order.
 * Images are decoded either inline or ahead on a small thread pool; the detection itself runs on
 * the calling thread, one image at a time. An image that cannot be decoded or processed gives an
 * error record and a line on {@code warn}, and the run goes on.
 */
public final class BatchDetect {
    /** Counts of one run (images skipped as already done are not in them). */
    public record Summary(int images, int faces, int errors, int skipped, double seconds) {
        public double imagesPerSecond() { return seconds > 0 ? images / seconds : 0; }
        public double facesPerSecond() { return seconds > 0 ? faces / seconds : 0; }

        public String describe() {
            return String.format(Locale.ROOT, "%d images, %d faces, %d errors%s; %.1f s, %.2f images/s, %.2f faces/s",
                    images, faces, errors, skipped > 0 ? " (" + skipped + " images done earlier, skipped)" : "",
                    seconds, imagesPerSecond(), facesPerSecond());
        }
    }

    private record Decoded(Path path, BufferedImage image, String error) {}

    private final Function<BufferedImage, List<FaceResult>> detector;
    private final int decodeThreads;
    private final PrintWriter warn;

    /**
     * @param detector      image to faces with landmarks (called from one thread)
     * @param decodeThreads 0 decodes on the calling thread; N > 0 decodes up to 2N images ahead on N threads
     * @param warn          where per-image errors are reported
     */
    public BatchDetect(Function<BufferedImage, List<FaceResult>> detector, int decodeThreads, PrintWriter warn) {
        if (decodeThreads < 0) throw new IllegalArgumentException("decode threads must be >= 0");
        this.detector = detector;
        this.decodeThreads = decodeThreads;
        this.warn = warn;
    }

    public Summary run(List<Path> images, LineSink out, ProgressBar progress, int skipped) throws IOException {
        long t0 = System.nanoTime();
        int faces = 0, errors = 0;
        ExecutorService pool = decodeThreads == 0 ? null : Executors.newFixedThreadPool(decodeThreads, r -> {
            Thread t = new Thread(r, "lightmark-decode");
            t.setDaemon(true);
            return t;
        });
        try {
            ArrayDeque<Future<Decoded>> ahead = new ArrayDeque<>();
            int next = 0;
            for (int i = 0; i < images.size(); i++) {
                Decoded d;
                if (pool == null) {
                    d = decode(images.get(i));
                } else {
                    while (next < images.size() && ahead.size() < 2 * decodeThreads) {
                        Path p = images.get(next++);
                        ahead.add(pool.submit(() -> decode(p)));
                    }
                    d = take(ahead.poll());
                }
                String line;
                if (d.error() == null) {
                    try {
                        long s = System.nanoTime();
                        List<FaceResult> found = detector.apply(d.image());
                        double ms = (System.nanoTime() - s) / 1e6;
                        line = ResultJson.line(ResultJson.result(d.path().toString(),
                                d.image().getWidth(), d.image().getHeight(), ms, found));
                        faces += found.size();
                    } catch (RuntimeException e) {
                        d = new Decoded(d.path(), null, "detection failed: " + e);
                        line = null;
                    }
                } else {
                    line = null;
                }
                if (line == null) {
                    errors++;
                    warn.println("skipped: " + d.path() + ": " + d.error());
                    line = ResultJson.line(ResultJson.error(d.path().toString(), d.error()));
                }
                out.append(line);
                progress.status(faces + " faces, " + errors + " errors");
                progress.step(1);
            }
        } finally {
            if (pool != null) pool.shutdownNow();
        }
        return new Summary(images.size(), faces, errors, skipped, (System.nanoTime() - t0) / 1e9);
    }

    private static Decoded take(Future<Decoded> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("decoder failed", e.getCause());
        }
    }

    /** Never throws for a bad file: the problem comes back as the error text. */
    static Decoded decode(Path p) {
        try {
            return new Decoded(p, Images.read(p), null);
        } catch (DataFormatException e) {
            String m = e.getMessage();
            String prefix = e.file() + ": ";
            return new Decoded(p, null, m.startsWith(prefix) ? m.substring(prefix.length()) : m);
        } catch (RuntimeException e) {
            return new Decoded(p, null, "cannot read image: " + e);
        } catch (OutOfMemoryError e) {
            return new Decoded(p, null, "out of memory while decoding");
        }
    }
}
