package dev.lightmark.export;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.lightmark.infer.LandmarkPredictor;
import dev.lightmark.model.TorchSetup;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Times the landmark network on DJL (PyTorch, eager) and on ONNX Runtime after export, at batch 1
 * and 32, and reports how far the two outputs are apart. The two engines are measured in
 * alternating rounds so that a change in machine load affects both alike.
 */
public final class OnnxBenchmark {
    private OnnxBenchmark() {}

    /** Median and p90 time of one call for one engine and batch size. */
    public record Timing(String engine, int batch, double medianMs, double p90Ms, int runs) {
        public double msPerFace() { return medianMs / batch; }
        public double facesPerSecond() { return 1000.0 * batch / medianMs; }
    }

    public record Result(double maxAbsDifference, List<Timing> timings) {}

    /**
     * Loads {@code lmk} (the bundled model when null) on both engines with {@code threads}
     * intra-op threads and spends about {@code seconds} per engine and batch size.
     */
    public static Result run(Path lmk, int threads, double seconds, PrintStream out) throws IOException {
        TorchSetup.configure(threads);
        byte[] onnx;
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            onnx = OnnxExporter.toOnnx(OnnxExporter.load(lmk, m));
        }
        try (LandmarkPredictor djl = lmk == null ? LandmarkPredictor.loadBundledLmk(threads) : LandmarkPredictor.load(lmk, threads);
             OnnxLandmarkRunner ort = OnnxLandmarkRunner.fromBytes(onnx, "exported model", threads)) {
            int s = ort.inputSize();
            Random rnd = new Random(7);
            float[] check = random(rnd, 8 * 3 * s * s);
            float[] a = djl.forward(check, 8), b = ort.forward(check, 8);
            double diff = 0;
            for (int i = 0; i < a.length; i++) diff = Math.max(diff, Math.abs(a[i] - b[i]));
            out.printf(Locale.ROOT, "model: %s width %.2f, %d points; ONNX %,d bytes; %d thread%s%n",
                    djl.spec().architecture, djl.spec().width, djl.spec().points, onnx.length, threads, threads == 1 ? "" : "s");
            out.printf(Locale.ROOT, "max |ONNX Runtime - DJL| on 8 random inputs: %.3g crop units%n", diff);

            List<Timing> timings = new ArrayList<>();
            for (int batch : new int[]{1, 32}) {
                float[] input = random(rnd, batch * 3 * s * s);
                List<Double> tDjl = new ArrayList<>(), tOrt = new ArrayList<>();
                warm(() -> djl.forward(input, batch));
                warm(() -> ort.forward(input, batch));
                int rounds = 4;
                for (int r = 0; r < rounds; r++) {
                    sample(() -> djl.forward(input, batch), seconds / rounds, tDjl);
                    sample(() -> ort.forward(input, batch), seconds / rounds, tOrt);
                }
                for (Timing t : new Timing[]{timing("DJL eager", batch, tDjl), timing("ONNX Runtime", batch, tOrt)}) {
                    timings.add(t);
                    out.printf(Locale.ROOT, "%-12s batch %2d: median %.2f ms per batch, %.3f ms per face, %.0f faces/s (p90 %.2f ms, %d runs)%n",
                            t.engine(), batch, t.medianMs(), t.msPerFace(), t.facesPerSecond(), t.p90Ms(), t.runs());
                }
            }
            return new Result(diff, timings);
        }
    }

    /** {@code OnnxBenchmark [--model M.lmk] [--threads 1] [--seconds 5]}. */
    public static void main(String[] args) throws IOException {
        Path model = null;
        int threads = 1;
        double seconds = 5;
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--model" -> model = Path.of(require(args[i], v));
                case "--threads" -> threads = Integer.parseInt(require(args[i], v));
                case "--seconds" -> seconds = Double.parseDouble(require(args[i], v));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (usage: OnnxBenchmark [--model M.lmk] [--threads 1] [--seconds 5])");
            }
            i++;
        }
        run(model, threads, seconds, System.out);
    }

    private static String require(String option, String value) {
        if (value == null) throw new IllegalArgumentException(option + " needs a value");
        return value;
    }

    private static float[] random(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = rnd.nextFloat() * 2 - 1;
        return x;
    }

    private static void warm(Supplier<float[]> f) {
        for (int i = 0; i < 5; i++) f.get();
    }

    private static void sample(Supplier<float[]> f, double seconds, List<Double> into) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        int n = 0;
        while (System.nanoTime() < end || n < 3) {
            long t0 = System.nanoTime();
            f.get();
            into.add((System.nanoTime() - t0) / 1e6);
            n++;
        }
    }

    private static Timing timing(String engine, int batch, List<Double> ms) {
        List<Double> t = new ArrayList<>(ms);
        t.sort(null);
        return new Timing(engine, batch, t.get(t.size() / 2), t.get((int) (t.size() * 0.9)), t.size());
    }
}
