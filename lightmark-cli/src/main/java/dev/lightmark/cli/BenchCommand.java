package dev.lightmark.cli;

import dev.lightmark.image.Images;
import dev.lightmark.infer.FacePipeline;
import dev.lightmark.infer.FaceResult;
import dev.lightmark.infer.LandmarkPredictor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Speed of the landmark model (batch 1 and 32), of the per-face path on a labelled folder (--faces, comparable with dlib-baseline) and of end-to-end detection on a 640x480 photo.")
final class BenchCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Option(names = "--image", description = "A face photo for the end-to-end timing; it is fitted into 640x480")
    Path image;

    @Option(names = "--seconds", defaultValue = "5", description = "Time spent measuring each case. Default: ${DEFAULT-VALUE}")
    double seconds;

    @Option(names = "--faces", description = "A folder of NAME.jpg + NAME.pts: time the per-face path (decoded image + ground-truth box -> 68 points), "
            + "as dlib-baseline times its predictor, and the batch call on crops of these faces")
    Path faces;

    @Option(names = "--passes", defaultValue = "3", description = "With --faces: passes over the folder; the median pass is reported. Default: ${DEFAULT-VALUE}")
    int passes;

    @Override
    public Integer call() throws Exception {
        int threads = modelOptions.threads;
        try (LandmarkPredictor p = modelOptions.load()) {
            int s = p.spec().inputSize;
            String params = p.parameterCount() > 0
                    ? String.format(Locale.ROOT, ", %,d parameters (%.2f MB float32)", p.parameterCount(), p.parameterCount() * 4 / 1e6) : "";
            System.out.printf(Locale.ROOT, "model: %s width %.2f, %d points%s; runtime %s, %d thread%s%n",
                    p.spec().architecture, p.spec().width, p.spec().points, params, p.runtime(), threads, threads == 1 ? "" : "s");
            // Timings depend on the vector extensions (int8 gains only with VNNI): say which ran them.
            System.out.println("cpu: " + dev.lightmark.runtime.CpuInfo.current().describe());
            for (int batch : new int[]{1, 32}) {
                float[] input = new float[batch * 3 * s * s];
                Arrays.fill(input, 0.1f);
                double[] ms = time(() -> p.forward(input, batch));
                System.out.printf(Locale.ROOT, "batch %2d: median %.2f ms per batch, %.2f ms per face, %.0f faces/s (p90 %.2f ms, %d runs)%n",
                        batch, ms[0], ms[0] / batch, 1000 * batch / ms[0], ms[1], (int) ms[2]);
            }
            if (faces != null) facePath(p);
            if (image != null) {
                BufferedImage photo = fit640x480(Images.read(image));
                for (FacePipeline.DetectorChoice choice : FacePipeline.DetectorChoice.values()) {
                    try (FacePipeline pipe = FacePipeline.create(choice, 0.5f, threads, p)) {
                        List<FaceResult> faces = pipe.run(photo);
                        double[] det = time(() -> pipe.detectFaces(photo));
                        double[] all = time(() -> pipe.run(photo));
                        System.out.printf(Locale.ROOT, "640x480 photo, detector %s, %d face(s): detection %.2f ms, detection + landmarks %.2f ms (median)%n",
                                choice, faces.size(), det[0], all[0]);
                    }
                }
            }
        }
        return 0;
    }

    /**
     * Per-face path on real faces: image already decoded, box given (the tight box of the ground
     * truth), crop + network + points back in the image; with and without the flip test. Then
     * the batch call: the same faces as pre-cut crops, 32 per network call.
     */
    private void facePath(LandmarkPredictor p) {
        var loaded = dev.lightmark.data.PtsFolder.load(faces, 68);
        List<BufferedImage> imgs = new ArrayList<>();
        List<dev.lightmark.geometry.Box> boxes = new ArrayList<>();
        List<BufferedImage> crops = new ArrayList<>();
        for (var f : loaded.samples()) {
            BufferedImage img = Images.read(f.image());
            var b = f.landmarks().bounds();
            imgs.add(img);
            boxes.add(b);
            int x = Math.max(0, Math.round(b.x())), y = Math.max(0, Math.round(b.y()));
            int w = Math.max(1, Math.min(img.getWidth() - x, Math.round(b.w()))), h = Math.max(1, Math.min(img.getHeight() - y, Math.round(b.h())));
            BufferedImage crop = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);   // a standalone face image, as a caller would hold it
            crop.createGraphics().drawImage(img.getSubimage(x, y, w, h), 0, 0, null);
            crops.add(crop);
        }
        int n = imgs.size();
        System.out.printf(Locale.ROOT, "per-face path over %d faces of %s (decoded image + box -> points, 1 face per call, median of %d passes):%n",
                n, faces, passes);
        for (boolean flip : new boolean[]{false, true}) {
            double[] perPass = new double[passes];
            for (int pass = -1; pass < passes; pass++) {   // pass -1 warms up
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    BufferedImage img = imgs.get(i);
                    p.predict(dev.lightmark.image.Warp.pixels(img), img.getWidth(), img.getHeight(), List.of(boxes.get(i)), flip);
                }
                if (pass >= 0) perPass[pass] = (System.nanoTime() - t0) / 1e6 / n;
            }
            Arrays.sort(perPass);
            System.out.printf(Locale.ROOT, "  %s: %.3f ms per face%n", flip ? "flip test (two passes)" : "one pass", perPass[passes / 2]);
        }
        for (int per : new int[]{1, 4, 8, 32})
            for (boolean flip : new boolean[]{false, true}) {
                double[] perPass = new double[passes];
                for (int pass = -1; pass < passes; pass++) {
                    long t0 = System.nanoTime();
                    for (int from = 0; from < n; from += per) p.predictCrops(crops.subList(from, Math.min(n, from + per)), flip);
                    if (pass >= 0) perPass[pass] = (System.nanoTime() - t0) / 1e9;
                }
                Arrays.sort(perPass);
                System.out.printf(Locale.ROOT, "  batch call on pre-cut crops, %d per network call, %s: %.0f faces/s%n",
                        per, flip ? "flip test" : "one pass", n / perPass[passes / 2]);
            }
    }

    /** Median and p90 milliseconds and run count, after a warm-up. */
    private double[] time(Runnable r) {
        for (int i = 0; i < 5; i++) r.run();
        List<Double> t = new ArrayList<>();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end || t.size() < 5) {
            long t0 = System.nanoTime();
            r.run();
            t.add((System.nanoTime() - t0) / 1e6);
        }
        t.sort(null);
        return new double[]{t.get(t.size() / 2), t.get((int) (t.size() * 0.9)), t.size()};
    }

    static BufferedImage fit640x480(BufferedImage src) {
        BufferedImage out = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        double k = Math.min(640.0 / src.getWidth(), 480.0 / src.getHeight());
        int w = (int) Math.round(src.getWidth() * k), h = (int) Math.round(src.getHeight() * k);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, (640 - w) / 2, (480 - h) / 2, w, h, null);
        g.dispose();
        return out;
    }
}
